import { importErrors } from './import-errors.ts';

/** What the bytes of a file are, whatever its name says. */
export type SniffedKind = 'pdf' | 'zip' | 'text' | 'binary';

const startsWith = (bytes: Uint8Array, magic: number[], at = 0) =>
  magic.every((b, i) => bytes[at + i] === b);

/** Looks only at the bytes: the name of an uploaded file is a claim, not a fact. */
export function sniff(bytes: Uint8Array): SniffedKind {
  // "%PDF-" may follow a little junk (some generators emit a BOM or whitespace first).
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  // Local file header, or the end record of an empty archive.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return 'zip';
  return decodeText(bytes) === undefined ? 'binary' : 'text';
}

/** UTF-8 (with or without BOM) or UTF-16 with a BOM; undefined for anything that is not text. */
export function decodeText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    if (startsWith(bytes, [0xff, 0xfe]))
      text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    else if (startsWith(bytes, [0xfe, 0xff]))
      text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    else text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
  // Control characters other than tab/newline/form feed mean a binary format that happens to
  // be valid UTF-8 (images, old .doc files).
  // eslint-disable-next-line no-control-regex
  const controls = text.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
  return controls > 0 ? undefined : text;
}

const describe: Record<SniffedKind, string> = {
  pdf: 'a PDF',
  zip: 'a ZIP archive (such as a Word file)',
  text: 'plain text',
  binary: 'binary data in a format Job Forge does not read',
};

/** The extensions we know, and which byte kinds each may hold. */
const EXPECTED: Record<string, SniffedKind[]> = {
  pdf: ['pdf'],
  docx: ['zip'],
  md: ['text'],
  markdown: ['text'],
  txt: ['text'],
  text: ['text'],
  json: ['text'],
};

export function extensionOf(filename: string): string {
  const match = /\.([a-z0-9]+)$/i.exec(filename.trim());
  return match ? match[1]!.toLowerCase() : '';
}

/**
 * Refuses a file whose bytes contradict its name (a ".pdf" that is a ZIP, a ".docx" that is
 * text): reading it as either would mislead the user. Unknown extensions go by the bytes.
 */
export function checkExtension(filename: string, kind: SniffedKind): void {
  if (kind === 'binary') throw importErrors.unsupported();
  const expected = EXPECTED[extensionOf(filename)];
  if (expected && !expected.includes(kind)) throw importErrors.mismatch(filename, describe[kind]);
}
