import mammoth from 'mammoth';
import { htmlToMarkdown } from '../imports/html-to-markdown.ts';
import { importErrors } from './import-errors.ts';
import { readZipEntries } from './zip-guard.ts';

export interface DocxMarkdown {
  markdown: string;
  warnings: string[];
}

/**
 * The interface mammoth reads a .docx through (its lib/zipfile.js), served from entries that
 * zip-guard has already inflated under its caps: mammoth never inflates anything itself.
 */
function inflatedDocx(entries: Map<string, Uint8Array>) {
  return {
    exists: (name: string) => entries.has(name),
    read(name: string, encoding?: string): Promise<string | Uint8Array> {
      const data = entries.get(name);
      if (!data) return Promise.reject(new Error(`missing part ${name}`));
      if (encoding === 'base64') return Promise.resolve(Buffer.from(data).toString('base64'));
      return Promise.resolve(encoding ? new TextDecoder(encoding).decode(data) : data);
    },
  };
}

// Only the XML parts carry text and structure; images and embedded files are never inflated.
const isXmlPart = (name: string) => /\.(xml|rels)$/i.test(name);

/** A Word document as Markdown: headings, lists, links, emphasis; images left out. */
export async function docxToMarkdown(bytes: Uint8Array): Promise<DocxMarkdown> {
  const entries = readZipEntries(bytes, isXmlPart);
  if (!entries.has('word/document.xml') && !entries.has('[Content_Types].xml'))
    throw importErrors.corrupt('Word file', 'it is a ZIP archive without a Word document inside.');
  let images = 0;
  let html: string;
  try {
    // mammoth's typings only know {path | buffer | arrayBuffer}; {file} is its zip-like input.
    const input = { file: inflatedDocx(entries) } as unknown as { buffer: Buffer };
    const result = await mammoth.convertToHtml(input, {
      externalFileAccess: false,
      convertImage: mammoth.images.imgElement(() => {
        images += 1;
        return Promise.resolve({ src: '' });
      }),
    });
    html = result.value;
  } catch {
    throw importErrors.corrupt('Word file', 'its document part is missing or damaged.');
  }
  const warnings: string[] = [];
  if (images > 0)
    warnings.push(`${images} image${images === 1 ? ' was' : 's were'} left out of the import.`);
  return { markdown: htmlToMarkdown(html), warnings };
}
