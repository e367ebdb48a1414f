import { importErrors } from './import-errors.ts';

/** What the bytes of a file are, whatever its name says. */
export type SniffedKind = 'pdf' | 'zip' | 'text' | 'binary';

const startsWith = (bytes: Uint8Array, magic: number[], at = 0) =>
  magic.every((b, i) => bytes[at + i] === b);

/** Looks only at the bytes: the name of an uploaded file is a claim, not a fact. */
export function sniff(bytes: Uint8Array): SniffedKind {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (/^\uFEFF?\s*%PDF-/.test(head)) return 'pdf';
  // Local file header, or the end record of an empty archive.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return 'zip';
  const text = decodeText(bytes);
  // Readers accept "%PDF-" anywhere in the first KiB, after junk some generators emit; a text
  // file that merely mentions it stays text.
  if (!text && head.includes('%PDF-')) return 'pdf';
  return text ? 'text' : 'binary';
}

export interface DecodedText {
  text: string;
  /** Set when the file was not Unicode and was read as Windows-1252. */
  legacy?: boolean;
}

// Control characters other than tab/newline/CR/form feed mean a binary format (images, old
// .doc files), even when the bytes happen to decode.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f]/;

/**
 * UTF-8 (with or without BOM) or UTF-16 with a BOM; failing those, Windows-1252, which older
 * Western-European text files use. Undefined for anything that is not text.
 */
export function decodeText(bytes: Uint8Array): DecodedText | undefined {
  const decode = (encoding: string, data: Uint8Array) => {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(data);
    } catch {
      return undefined;
    }
  };
  let text: string | undefined;
  let legacy = false;
  if (startsWith(bytes, [0xff, 0xfe])) text = decode('utf-16le', bytes.subarray(2));
  else if (startsWith(bytes, [0xfe, 0xff])) text = decode('utf-16be', bytes.subarray(2));
  else {
    text = decode('utf-8', bytes);
    if (text === undefined) {
      text = decode('windows-1252', bytes);
      legacy = true;
    }
  }
  if (text === undefined || CONTROLS.test(text)) return undefined;
  return legacy ? { text, legacy } : { text };
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
