/**
 * The bookmarklet of issue 5 and the messages it exchanges with Job Forge. It runs on the page the
 * user is looking at (a job board, possibly behind a login) and sends that page's HTML to a Job
 * Forge window it opens, by postMessage. No token ever leaves Job Forge: the bookmarklet holds
 * none, and the Job Forge window calls the API itself with its own session.
 *
 * 1. The bookmarklet opens `${origin}/import/bookmarklet` and listens for messages.
 * 2. That page, once signed in, posts `{type: 'jobforge-ready'}` to its opener.
 * 3. The bookmarklet answers only a ready message whose origin is Job Forge's and whose source is
 *    the window it opened, posting `{type: 'jobforge-page', url, html}` with targetOrigin = the
 *    Job Forge origin, so the page can reach no one else.
 * 4. The Job Forge page accepts only a message from its opener, shows where the page came from
 *    and its title, and imports only when the person confirms: any website can open that window
 *    and play the opener (see bookmarklet-import-page.tsx).
 */

export const BOOKMARKLET_PATH = '/import/bookmarklet';

/** The API takes at most 2 MiB of HTML (counted as the contract counts: UTF-16 units). */
export const MAX_PAGE_HTML = 2 * 1024 * 1024;

export interface PageMessage {
  type: 'jobforge-page';
  url: string;
  html: string;
}

/** The message the Job Forge page expects, or null for anything else. */
export function asPageMessage(data: unknown): PageMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  if (d.type !== 'jobforge-page' || typeof d.html !== 'string' || typeof d.url !== 'string')
    return null;
  return { type: 'jobforge-page', url: d.url, html: d.html };
}

/**
 * The bookmarklet's code for the Job Forge at `origin`. ES5 and no template literals: it runs on
 * any page, in whatever the page's scripts left of the globals, so it uses only window, location
 * and document. A blocked pop-up is said in an alert, the one UI a bookmarklet has.
 */
export function bookmarkletSource(origin: string): string {
  const o = JSON.stringify(origin);
  const path = JSON.stringify(BOOKMARKLET_PATH);
  return (
    '(function(){' +
    `var o=${o};` +
    `var w=window.open(o+${path},'jobforge-import');` +
    "if(!w){alert('Job Forge: allow pop-ups for this site, then click the bookmarklet again.');return;}" +
    'window.addEventListener("message",function(e){' +
    'if(e.origin!==o||e.source!==w||!e.data||e.data.type!=="jobforge-ready")return;' +
    'w.postMessage({type:"jobforge-page",url:location.href,html:document.documentElement.outerHTML},o);' +
    '});' +
    '})();'
  );
}

/** The `javascript:` URL to drag to the bookmarks bar. */
export const bookmarkletHref = (origin: string): string =>
  `javascript:${encodeURIComponent(bookmarkletSource(origin))}`;
