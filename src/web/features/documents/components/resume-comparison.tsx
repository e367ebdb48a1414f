import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { DocumentGrounding } from '../../../../contracts/documents.ts';
import type { Resume } from '../../../../contracts/resumes.ts';
import { cn } from '../../../components/ui/cn.ts';
import { EmptyState, QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { diffRows, diffStats, type Part, type Row } from '../../../lib/diff.ts';
import { useMatch } from '../../match/api/match.ts';
import { describeReasons, flagRows, type UngroundedLine } from '../../match/match-logic.ts';
import { useResumes } from '../../resumes/api/resumes.ts';
import { ResumeSelect } from '../../resumes/components/resume-select.tsx';
import { ungroundedLines } from '../grounding.ts';

const DEL =
  'rounded-sm bg-rose-200 text-rose-950 line-through decoration-rose-800 dark:bg-rose-900 dark:text-rose-50 dark:decoration-rose-200';
const INS =
  'rounded-sm bg-emerald-200 text-emerald-950 no-underline dark:bg-emerald-900 dark:text-emerald-50';

function Parts({ parts, mark }: { parts: Part[]; mark: 'del' | 'ins' }) {
  const Tag = mark;
  return parts.map((p, i) =>
    p.changed ? (
      <Tag key={i} className={mark === 'del' ? DEL : INS}>
        {p.text}
      </Tag>
    ) : (
      <span key={i}>{p.text}</span>
    ),
  );
}

const cell = 'w-1/2 border-t border-slate-200 px-2 py-0.5 align-top dark:border-slate-700';
const FLAGGED =
  'outline-2 -outline-offset-2 outline-amber-600 outline-dashed dark:outline-amber-400';

/** Why a tailored line is flagged, in words: the mark does not rely on colour. */
function Flag({ line }: { line: UngroundedLine }) {
  return (
    <span
      className="mt-1 block font-sans text-xs font-medium text-amber-900 dark:text-amber-200"
      data-testid="ungrounded-flag"
    >
      <span aria-hidden="true">⚠ </span>Not in your resume: {describeReasons(line)}
    </span>
  );
}

function DiffRow({ row, flag }: { row: Row; flag?: UngroundedLine | undefined }) {
  const right = (content: ReactNode, tint?: string) => (
    <td
      className={cn(cell, tint, flag && FLAGGED)}
      data-testid={flag ? 'ungrounded-line' : undefined}
    >
      {content}
      {flag && <Flag line={flag} />}
    </td>
  );
  switch (row.kind) {
    case 'same':
      return (
        <tr>
          <td className={cell}>{row.left}</td>
          {right(row.right)}
        </tr>
      );
    case 'changed':
      return (
        <tr>
          <td className={cn(cell, 'bg-rose-50 dark:bg-rose-950/40')}>
            <Parts parts={row.left} mark="del" />
          </td>
          {right(<Parts parts={row.right} mark="ins" />, 'bg-emerald-50 dark:bg-emerald-950/40')}
        </tr>
      );
    case 'removed':
      return (
        <tr>
          <td className={cn(cell, 'bg-rose-50 dark:bg-rose-950/40')}>
            <del className={DEL}>{row.left}</del>
          </td>
          <td className={cell} />
        </tr>
      );
    case 'added':
      return (
        <tr>
          <td className={cell} />
          {right(<ins className={INS}>{row.right}</ins>, 'bg-emerald-50 dark:bg-emerald-950/40')}
        </tr>
      );
  }
}

/**
 * The diff itself: Markdown source lines, aligned, the changes highlighted, and the tailored
 * lines the grounding check could not trace to the source flagged with the reason.
 */
export function DiffTable({
  source,
  tailored,
  ungrounded = [],
  grounding = 'none',
}: {
  source: Resume;
  tailored: string;
  ungrounded?: readonly UngroundedLine[];
  /** Whether `ungrounded` is the check's answer ('checked'), still coming, or unavailable. */
  grounding?: 'checked' | 'pending' | 'stale' | 'failed' | 'none';
}) {
  const rows = useMemo(() => diffRows(source.content, tailored), [source.content, tailored]);
  const { flags, unplaced } = useMemo(() => flagRows(rows, ungrounded), [rows, ungrounded]);
  const stats = diffStats(rows);
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="diff-summary">
        {stats.changed} lines changed, {stats.added} added, {stats.removed} removed. Removed text is{' '}
        <del className={DEL}>struck through</del>, new text is{' '}
        <ins className={INS}>highlighted</ins>.
      </p>
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="grounding-summary">
        {grounding === 'pending' && 'Checking that every line comes from your resume…'}
        {grounding === 'failed' &&
          'The check that every line comes from your resume is unavailable.'}
        {grounding === 'stale' && 'Checking the latest version against your resume…'}
        {grounding === 'checked' &&
          (ungrounded.length === 0 ? (
            'Every line of the tailored resume traces back to this resume.'
          ) : (
            <>
              <strong>
                {ungrounded.length} line{ungrounded.length === 1 ? '' : 's'} cannot be traced to
                this resume
              </strong>{' '}
              — marked <span aria-hidden="true">⚠</span> “Not in your resume” with the reason. Check
              them before you send it.
            </>
          ))}
      </p>
      <div className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-700">
        <table className="w-full table-fixed font-mono text-xs leading-relaxed break-words whitespace-pre-wrap">
          <caption className="sr-only">
            {source.name} beside the tailored resume, line by line
          </caption>
          <thead>
            <tr className="bg-slate-100 text-left font-sans dark:bg-slate-800">
              <th scope="col" className="px-2 py-1 font-semibold">
                Source: {source.name}
              </th>
              <th scope="col" className="px-2 py-1 font-semibold">
                Tailored resume
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <DiffRow key={i} row={r} flag={flags.get(i)} />
            ))}
          </tbody>
        </table>
      </div>
      {unplaced.length > 0 && (
        <div className="text-sm">
          <p className="font-medium">Also not traced to this resume:</p>
          <ul className="list-disc pl-5">
            {unplaced.map((u, i) => (
              <li key={i}>
                {u.text} — {describeReasons(u)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The diff with the match endpoint's grounding report for this source resume. */
function GroundedDiff({
  applicationId,
  source,
  tailored,
  version,
}: {
  applicationId: string;
  source: Resume;
  tailored: string;
  version: number;
}) {
  const match = useMatch(applicationId, source.id);
  const report = match.data?.tailored;
  const state = match.isPending
    ? 'pending'
    : match.isError || !report
      ? 'failed'
      : report.version !== version
        ? 'stale'
        : 'checked';
  return (
    <DiffTable
      source={source}
      tailored={tailored}
      grounding={state}
      ungrounded={state === 'checked' ? report!.grounding.ungrounded : NONE}
    />
  );
}

const NONE: readonly UngroundedLine[] = [];

/**
 * The tailored resume beside a source resume: the one it was drafted from (whose grounding check
 * the API stored with this version), else the primary, unless another is chosen. Against the
 * stored check's resume the stored result is shown as it is; against any other, the match
 * endpoint checks that resume.
 */
export function ResumeComparison({
  applicationId,
  tailored,
  version,
  stored = null,
}: {
  applicationId: string;
  tailored: string;
  version: number;
  /** The document's `grounding`: the check made when this version was saved. */
  stored?: DocumentGrounding | null;
}) {
  const resumes = useResumes();
  const [chosen, setChosen] = useState<string | null>(null);
  const storedLines = useMemo(() => (stored ? ungroundedLines(stored) : NONE), [stored]);
  if (resumes.isPending) return <Spinner label="Loading resumes…" />;
  if (resumes.isError)
    return <QueryError error={resumes.error} retry={() => void resumes.refetch()} />;
  const items = resumes.data.items;
  const source =
    items.find((r) => r.id === chosen) ??
    items.find((r) => r.id === stored?.checked_against_resume_id) ??
    items.find((r) => r.is_primary) ??
    items[0];
  if (!source) {
    return (
      <EmptyState title="No resume to compare with">
        <Link to="/resumes">Add your resume</Link> to see what the tailoring changed.
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3" data-testid="resume-comparison">
      {items.length > 1 && (
        <div className="max-w-xs">
          <ResumeSelect
            label="Compare with"
            resumes={items}
            value={source.id}
            onChange={setChosen}
          />
        </div>
      )}
      {stored && source.id === stored.checked_against_resume_id ? (
        <DiffTable
          source={source}
          tailored={tailored}
          grounding="checked"
          ungrounded={storedLines}
        />
      ) : (
        <GroundedDiff
          applicationId={applicationId}
          source={source}
          tailored={tailored}
          version={version}
        />
      )}
    </div>
  );
}
