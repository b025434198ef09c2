/** One server-sent event, as the HTML standard's event stream interpretation dispatches it. */
export interface SseEvent {
  /** The last event ID (`id:`) in effect when the event was dispatched; '' when none was ever set. */
  id: string;
  /** `event:`, or 'message'. */
  event: string;
  /** The `data:` lines joined with '\n'. */
  data: string;
}

/**
 * An incremental `text/event-stream` parser (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * lines end with CRLF, LF or CR (also when a CRLF is split between two chunks); `:` lines are
 * comments; `id` (ignored when it holds NUL), `event`, `data` (one or more lines) and `retry`
 * (digits only) are the fields, one space after the colon is dropped, other fields are ignored;
 * an empty line dispatches the event, unless it has no data.
 */
export class SseParser {
  /** The `retry:` reconnection time in milliseconds, when the server sent one. */
  retryMs: number | undefined;
  /** The last event ID, carried over to later events as the standard says. */
  lastEventId = '';
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private sawData = false;
  private pendingCr = false;
  private first = true;

  constructor(lastEventId = '') {
    this.lastEventId = lastEventId;
  }

  /** Feeds decoded text; returns the events it completes, in order. */
  push(text: string): SseEvent[] {
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1); // the LF of a split CRLF
    this.pendingCr = false;
    const events: SseEvent[] = [];
    let input = this.buffer + text;
    let start = 0;
    for (let i = 0; i < input.length; i++) {
      const c = input.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      this.line(input.slice(start, i), events);
      if (c === 0x0d) {
        if (i + 1 < input.length) {
          if (input.charCodeAt(i + 1) === 0x0a) i++;
        } else {
          this.pendingCr = true;
        }
      }
      start = i + 1;
    }
    this.buffer = input.slice(start);
    input = '';
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line.length === 0) {
      if (this.sawData) {
        events.push({ id: this.lastEventId, event: this.event || 'message', data: this.data.join('\n') });
      }
      this.data = [];
      this.event = '';
      this.sawData = false;
      return;
    }
    if (line.startsWith(':')) return; // a comment: `: connected`, `: keep-alive`
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\u0000')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
      // unknown fields are ignored
    }
  }
}
