// Resume files made by other tools than our exporter (which uses pdfkit and `docx`): pdf-lib for
// PDFs, raw WordprocessingML zipped with jszip for DOCX, and hostile variants of both.
import { once } from 'node:events';
import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { PDFDocument, PDFName, PDFNumber, PDFString, StandardFonts } from 'pdf-lib';

/** A one-page resume: a name, section titles, bullets, a link, accented text. */
export async function makePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const draw = (text: string, x: number, y: number, size: number, font = regular) =>
    page.drawText(text, { x, y, size, font });
  draw('Jeanne Dupré', 50, 780, 22, bold);
  draw('Développeuse — Lyon', 50, 760, 11);
  draw('Portfolio: jeanne.example.com', 50, 745, 11);
  draw('Expérience', 50, 710, 15, bold);
  draw('Ingénieure, Café Crème SA', 50, 690, 11);
  draw('• Réduit la latence de 40 %', 60, 675, 11);
  draw('• Migré vers PostgreSQL', 60, 660, 11);
  draw('Formation', 50, 625, 15, bold);
  draw('École Centrale de Lyon', 50, 605, 11);
  // "jeanne.example.com" sits from x = 50 + width("Portfolio: ").
  const start = 50 + regular.widthOfTextAtSize('Portfolio: ', 11);
  const end = start + regular.widthOfTextAtSize('jeanne.example.com', 11);
  const link = doc.context.register(
    doc.context.obj({
      Type: 'Annot',
      Subtype: 'Link',
      Rect: [start, 742, end, 756],
      Border: [0, 0, 0],
      A: { Type: 'Action', S: 'URI', URI: PDFString.of('https://jeanne.example.com/') },
    }),
  );
  page.node.set(PDFName.of('Annots'), doc.context.obj([link]));
  return doc.save();
}

/** A PDF with pages but no text, like a scan (one drawn rectangle per page). */
export async function makeScannedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawRectangle({ x: 50, y: 50, width: 200, height: 300 });
  return doc.save();
}

/** A small PDF whose page tree claims `count` pages. */
export async function makePdfClaimingPages(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText('One real page', { x: 50, y: 700, size: 12, font });
  doc.catalog.Pages().set(PDFName.of('Count'), PDFNumber.of(count));
  return doc.save({ useObjectStreams: false });
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const run = (text: string) => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;
const para = (text: string, style?: string) =>
  `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}${run(text)}</w:p>`;
const bullet = (text: string) =>
  `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>${run(text)}</w:p>`;

/** The parts of a minimal Word document, with headings, bullets and a hyperlink. */
export function docxParts(): Record<string, string> {
  const body = [
    para('Jeanne Dupré', 'Heading1'),
    `<w:p>${run('Portfolio: ')}<w:hyperlink r:id="rIdLink">${run('jeanne.example.com')}</w:hyperlink></w:p>`,
    para('Expérience', 'Heading2'),
    para('Ingénieure, Café Crème SA'),
    bullet('Réduit la latence de 40 %'),
    bullet('Migré vers PostgreSQL'),
    para('Formation', 'Heading2'),
    para('École Centrale de Lyon'),
  ].join('');
  return {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '</Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
    'word/_rels/document.xml.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>' +
      '<Relationship Id="rIdLink" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://jeanne.example.com/" TargetMode="External"/>' +
      '</Relationships>',
    'word/styles.xml':
      `<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}>` +
      '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>' +
      '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>' +
      '</w:styles>',
    'word/numbering.xml':
      `<?xml version="1.0" encoding="UTF-8"?><w:numbering ${W}>` +
      '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>' +
      '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>' +
      '</w:numbering>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8"?><w:document ${W} ${R}><w:body>${body}</w:body></w:document>`,
  };
}

export async function makeDocx(
  parts: Record<string, string | Uint8Array> = docxParts(),
): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(parts)) zip.file(name, data);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** A DOCX whose document part is `mib` MiB of zeros: a few hundred KiB on disk. */
export async function makeZipBombDocx(mib: number): Promise<Uint8Array> {
  const { 'word/document.xml': _document, ...rest } = docxParts();
  const entries: { name: string; deflated: Uint8Array; size: number }[] = Object.entries(rest).map(
    ([name, text]) => {
      const data = Buffer.from(text);
      return { name, deflated: deflateRawSync(data), size: data.length };
    },
  );
  const size = mib * 1024 * 1024;
  entries.push({
    name: 'word/document.xml',
    deflated: await deflateZeros(size),
    size,
  });
  return rawZip(entries);
}

/**
 * A ZIP whose one entry, `word/document.xml`, declares `declared` bytes but inflates to `actual`
 * bytes of zeros: an archive that lies in its central directory.
 */
export async function makeLyingZip(declared: number, actual: number): Promise<Uint8Array> {
  const deflated = await deflateZeros(actual);
  return rawZip([{ name: 'word/document.xml', deflated, size: declared }]);
}

/**
 * `size` zeros, deflated a MiB at a time: the test never holds the inflated bytes, so a memory
 * measurement sees only what the code under test allocates.
 */
async function deflateZeros(size: number): Promise<Uint8Array> {
  const chunk = Buffer.alloc(1024 * 1024);
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (data: Buffer) => out.push(data));
  const ended = once(deflate, 'end');
  for (let n = 0; n < size; n += chunk.length) {
    if (!deflate.write(chunk.subarray(0, Math.min(chunk.length, size - n))))
      await once(deflate, 'drain');
  }
  deflate.end();
  await ended;
  return Buffer.concat(out);
}

/** A ZIP built by hand from deflated entries and the sizes to declare (no CRCs: nobody checks). */
function rawZip(entries: { name: string; deflated: Uint8Array; size: number }[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.deflated.length, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.deflated.length, 20);
    central.writeUInt32LE(entry.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(entry.deflated));
    centrals.push(central, name);
    offset += local.length + name.length + entry.deflated.length;
  }
  const cdSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

export const JSON_RESUME = {
  basics: {
    name: 'Jeanne Dupré',
    label: 'Développeuse backend',
    email: 'jeanne@example.com',
    phone: '+33 6 12 34 56 78',
    url: 'https://jeanne.example.com',
    location: { city: 'Lyon', countryCode: 'FR' },
    profiles: [{ network: 'GitHub', username: 'jdupre', url: 'https://github.com/jdupre' }],
    summary: 'Backend engineer who likes <b>boring</b> technology.',
  },
  work: [
    {
      name: 'Café Crème SA',
      position: 'Ingénieure',
      startDate: '2019-01',
      highlights: ['Réduit la latence de 40 %', 'Migré vers PostgreSQL'],
    },
  ],
  education: [{ institution: 'École Centrale de Lyon', area: 'Informatique', studyType: 'Master' }],
  skills: [{ name: 'Databases', level: 'Expert', keywords: ['PostgreSQL', 'SQLite'] }],
  projects: [{ name: 'Job Forge', url: 'https://example.com/jf', description: 'A tool.' }],
  languages: [{ language: 'Français', fluency: 'Native' }],
  certificates: [{ name: 'CKA', issuer: 'CNCF', date: '2022' }],
  awards: [{ title: 'Hackathon', awarder: 'Lyon Tech', date: '2021' }],
};
