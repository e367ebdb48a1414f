/**
 * An incremental Server-Sent Events parser (the WHATWG event-stream format). The drafting
 * events need an Authorization header, which EventSource cannot send, so they are read with
 * fetch() and parsed here; reconnecting with Last-Event-ID is the caller's job.
 */

export interface SseMessage {
  /** The last `id:` seen in the stream so far (ids carry over to later events). */
  id: string | undefined;
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private hasData = false;
  private idBuffer: string | undefined;
  /**
   * The id of the last event dispatched, to send back as Last-Event-ID: an id read from an
   * event cut off mid-way does not count (that event must be sent again).
   */
  lastEventId: string | undefined;
  /** The reconnection delay the server asked for, in milliseconds. */
  retryMs: number | undefined;

  /** Feeds decoded text; answers the events it completed. */
  push(text: string): SseMessage[] {
    this.buffer += text;
    const out: SseMessage[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (!m || (m[0] === '\r' && m.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      // A blank line dispatches the event, if it had data.
      this.lastEventId = this.idBuffer;
      const message = this.hasData
        ? { id: this.lastEventId, event: this.event || 'message', data: this.data.join('\n') }
        : undefined;
      this.data = [];
      this.event = '';
      this.hasData = false;
      return message;
    }
    if (line.startsWith(':')) return undefined; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.data.push(value);
      this.hasData = true;
    } else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.idBuffer = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }
}
