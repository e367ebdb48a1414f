export interface SseEvent {
  id: number;
  event: string;
  data: any;
}

/** Reads a Server-Sent Events response to its end (or until `stopAfter` events). */
export async function readEvents(
  url: string,
  opts: { token: string; lastEventId?: number; stopAfter?: number },
): Promise<{ status: number; contentType: string | null; events: SseEvent[] }> {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token}` };
  if (opts.lastEventId !== undefined) headers['last-event-id'] = String(opts.lastEventId);
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  if (!res.ok || !res.body)
    return { status: res.status, contentType: res.headers.get('content-type'), events };
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const i = line.indexOf(':');
          fields[line.slice(0, i)] = line.slice(i + 1).trimStart();
        }
        if (fields.data === undefined) continue;
        events.push({
          id: Number(fields.id),
          event: fields.event ?? 'message',
          data: JSON.parse(fields.data),
        });
        if (opts.stopAfter !== undefined && events.length >= opts.stopAfter) {
          controller.abort();
          return { status: res.status, contentType: res.headers.get('content-type'), events };
        }
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  }
  return { status: res.status, contentType: res.headers.get('content-type'), events };
}

/** The text streamed for each document type. */
export function deltasByType(events: SseEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) {
    if (e.event === 'delta')
      out[e.data.document_type] = (out[e.data.document_type] ?? '') + e.data.text;
  }
  return out;
}
