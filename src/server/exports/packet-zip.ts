import { ZipArchive } from 'archiver';

export interface PacketEntry {
  name: string;
  data: Buffer;
}

/** A zip of the given files, in memory: a packet is a few documents of a few hundred kB at most. */
export function zipPacket(entries: PacketEntry[]): Promise<Buffer> {
  const zip = new ZipArchive({ zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.on('data', (c: Buffer) => chunks.push(c));
    zip.on('end', () => resolve(Buffer.concat(chunks)));
    zip.on('error', reject);
    zip.on('warning', reject);
  });
  for (const e of entries) zip.append(e.data, { name: e.name, date: new Date() });
  void zip.finalize();
  return done;
}
