import { inflateRawSync } from 'node:zlib';
import { importErrors } from './import-errors.ts';

/** Limits on what a Word file may unpack to. A resume's XML is well under a MiB. */
export interface ZipLimits {
  maxEntries: number;
  /** Per inflated entry, and for the sum of the entries read. */
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Declared uncompressed / compressed size; zeros deflate about 1000:1, XML about 10:1. */
  maxRatio: number;
}

export const DOCX_LIMITS: ZipLimits = {
  maxEntries: 1000,
  maxEntryBytes: 10 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024,
  maxRatio: 100,
};

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const corrupt = (why: string) => importErrors.corrupt('Word file', why);

/** The central directory: what the archive says it holds, read without inflating anything. */
function centralDirectory(bytes: Uint8Array, limits: ZipLimits): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is in the last 22 + 65,535 (comment) bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('it is not a complete ZIP archive (it may have been cut short).');
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff)
    throw importErrors.archiveTooLarge('it is a ZIP64 archive, which only very large files need.');
  if (count > limits.maxEntries)
    throw importErrors.archiveTooLarge(`it holds ${count} parts (at most ${limits.maxEntries}).`);
  if (cdOffset + cdSize > eocd) throw corrupt('its table of contents is damaged.');

  const entries: Entry[] = [];
  let declaredTotal = 0;
  for (let p = cdOffset, i = 0; i < count; i++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== 0x02014b50)
      throw corrupt('its table of contents is damaged.');
    const nameLength = view.getUint16(p + 28, true);
    const entry: Entry = {
      flags: view.getUint16(p + 8, true),
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
      name: Buffer.from(bytes.subarray(p + 46, p + 46 + nameLength)).toString('utf8'),
    };
    p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    if (entry.flags & 0x1) throw importErrors.encrypted('Word file');
    declaredTotal += entry.size;
    if (entry.size > limits.maxEntryBytes || declaredTotal > limits.maxTotalBytes * 4)
      throw importErrors.archiveTooLarge(
        `it would unpack to more than ${mib(limits.maxEntryBytes)} MiB.`,
      );
    if (
      entry.size > 1024 * 1024 &&
      entry.size / Math.max(1, entry.compressedSize) > limits.maxRatio
    )
      throw importErrors.archiveTooLarge(
        `one part is compressed ${Math.round(entry.size / Math.max(1, entry.compressedSize))} to 1.`,
      );
    entries.push(entry);
  }
  return entries;
}

const mib = (n: number) => Math.round(n / 1024 / 1024);

/**
 * Reads the entries `want` selects, bounded by construction: the central directory's declared
 * sizes, entry count and ratios are checked before anything is inflated, and every entry is
 * inflated with a hard output cap (its declared size), so an archive that lies about its sizes
 * stops at the cap instead of filling memory.
 */
export function readZipEntries(
  bytes: Uint8Array,
  want: (name: string) => boolean,
  limits: ZipLimits = DOCX_LIMITS,
): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, Uint8Array>();
  let total = 0;
  for (const entry of centralDirectory(bytes, limits)) {
    if (entry.name.endsWith('/') || !want(entry.name)) continue;
    const p = entry.localOffset;
    if (p + 30 > bytes.length || view.getUint32(p, true) !== 0x04034b50)
      throw corrupt('one of its parts is missing.');
    const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (data.length !== entry.compressedSize) throw corrupt('it was cut short.');
    total += entry.size;
    if (total > limits.maxTotalBytes)
      throw importErrors.archiveTooLarge(
        `its text would unpack to more than ${mib(limits.maxTotalBytes)} MiB.`,
      );
    out.set(entry.name, inflateEntry(entry, data));
  }
  return out;
}

function inflateEntry(entry: Entry, data: Uint8Array): Uint8Array {
  if (entry.method === 0) {
    if (data.length !== entry.size) throw corrupt('one of its parts is damaged.');
    return data;
  }
  if (entry.method !== 8) throw corrupt('it uses a compression method Word does not use.');
  if (entry.size === 0) return new Uint8Array(0);
  let inflated: Buffer;
  try {
    // One byte over the declared size is enough to tell a lie from the truth.
    inflated = inflateRawSync(data, { maxOutputLength: entry.size + 1 });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw importErrors.archiveTooLarge('one part unpacks to more than its declared size.');
    throw corrupt('one of its parts is damaged.');
  }
  if (inflated.length !== entry.size) throw corrupt('one of its parts is damaged.');
  return inflated;
}
