import type { ServerResponse } from 'node:http';
import type { JobEvent } from './generation.repository.ts';

/** One Server-Sent Event; `id` is the event's sequence number, for Last-Event-ID. */
export function formatEvent(e: JobEvent): string {
  return `id: ${e.seq}\nevent: ${e.kind}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/** Last-Event-ID as a sequence number; anything else means "from the start". */
export function lastEventId(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** Writes and waits for the socket to drain when its buffer is full (a slow client). */
export function write(res: ServerResponse, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
