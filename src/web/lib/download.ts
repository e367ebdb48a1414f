import { useState } from 'react';
import { apiFetch } from './api-client.ts';

/**
 * The file name of a Content-Disposition header: RFC 6266's `filename*=UTF-8''…` when present,
 * else the quoted or bare `filename=`; the fallback when there is none. Path separators are
 * dropped (the browser would too, but the name is also shown to the user).
 */
export function filenameFrom(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  let name: string | undefined;
  if (star?.[1]) {
    try {
      name = decodeURIComponent(star[1].trim());
    } catch {
      name = undefined;
    }
  }
  name ??= /filename\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(header)?.[1]?.replace(/\\(.)/g, '$1');
  name ??= /filename\s*=\s*([^;\s]+)/.exec(header)?.[1];
  const clean = name?.replace(/[/\\]/g, '_').trim();
  return clean || fallback;
}

/** Hands a Blob to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously from the browser's point of view; the URL only
  // has to outlive the event loop turn, but a second is cheap insurance for slow disks.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Downloads a file from the API. A plain `<a href>` cannot work: the API wants the Bearer token,
 * which lives in memory and must never go into a URL. So the file is fetched through the API
 * client (silent refresh included), held as a Blob, and saved from an object URL under the name
 * the server chose. Answers that name.
 */
export async function downloadFromApi(path: string, fallbackName: string): Promise<string> {
  const res = await apiFetch('GET', path);
  const name = filenameFrom(res.headers.get('content-disposition'), fallbackName);
  saveBlob(await res.blob(), name);
  return name;
}

/**
 * State for download buttons: which one is fetching (its key) and the last failure's message.
 * A second click while one is running is ignored: the buttons show it is busy.
 */
export function useDownload() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = (key: string, path: string, fallbackName: string) => {
    if (busy) return;
    setBusy(key);
    setError(null);
    downloadFromApi(path, fallbackName)
      .catch((err: unknown) =>
        setError(err instanceof Error ? err.message : 'The download failed. Please try again.'),
      )
      .finally(() => setBusy(null));
  };
  return { busy, error, run };
}
