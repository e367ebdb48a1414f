import type { FetchedPage } from '../net/safe-fetch.ts';

/**
 * The page's text in the charset the server declared, else the one its <meta> declares in the
 * first kilobytes, else UTF-8. NUL characters are dropped (PostgreSQL text cannot hold them).
 */
export function decodePage(page: Pick<FetchedPage, 'body' | 'charset'>): string {
  const head = page.body.subarray(0, 4096).toString('latin1');
  const declared =
    page.charset ??
    /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1]?.toLowerCase() ??
    'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(page.body).replaceAll('\u0000', '');
}
