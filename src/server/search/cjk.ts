// Chinese, Japanese and Korean text has no spaces between words, so full-text search indexes its
// runs as overlapping two-character pieces plus single characters (migration 0010, decision 060).
// These helpers give queries the same shape. The character ranges match jobforge_cjk_grams().

const CJK_CLASS =
  '\\u1100-\\u11ff\\u3040-\\u30ff\\u3130-\\u318f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\uff66-\\uff9f';

const cjkRun = () => new RegExp(`[${CJK_CLASS}]+`, 'g');

/** The runs of CJK characters in s, in order. */
export const cjkRuns = (s: string): string[] => s.match(cjkRun()) ?? [];

/**
 * q with each CJK run replaced by the phrase of its bigrams ("数据分析" → `"数据 据分 分析"`), for
 * websearch_to_tsquery: the phrase matches the run anywhere inside a longer one. A one-character
 * run stays a word (the index holds single characters too). "-数据" stays an exclusion; a run
 * inside a quoted phrase is spelled out without quotes of its own.
 */
export function toWebsearch(q: string): string {
  return q.replace(cjkRun(), (run, offset: number) => {
    const chars = [...run];
    if (chars.length === 1) return ` ${run} `;
    const grams = chars
      .slice(0, -1)
      .map((c, i) => c + chars[i + 1])
      .join(' ');
    const before = q.slice(0, offset);
    const lead = before.endsWith('-') ? '' : ' ';
    const quoted = (before.match(/"/g) ?? []).length % 2 === 1;
    return quoted ? ` ${grams} ` : `${lead}"${grams}" `;
  });
}
