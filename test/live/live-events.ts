import { authHeader, Session } from '../support/people';

export interface LiveMessage {
  event: string;
  data: Record<string, any>;
}

/** A live-feed subscriber as the browser console is one: fetch with the bearer token, reading server-sent events. */
export class LiveStream {
  readonly messages: LiveMessage[] = [];
  private ended = false;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly status: number,
    private readonly abort: AbortController,
  ) {}

  static async open(session: Session): Promise<LiveStream> {
    const abort = new AbortController();
    const response = await fetch(`${session.url}/api/live`, { headers: { ...authHeader(session), Accept: 'text/event-stream' }, signal: abort.signal });
    const stream = new LiveStream(response.status, abort);
    if (response.ok && response.body) void stream.read(response.body);
    return stream;
  }

  /** The first message matching `match`, waiting for it (or failing after `timeoutMs`). */
  async next(match: (message: LiveMessage) => boolean, timeoutMs = 20_000): Promise<LiveMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (this.ended) throw new Error(`the stream ended before the expected event; got ${JSON.stringify(this.messages.map((m) => m.event))}`);
      if (Date.now() > deadline) throw new Error(`no expected event within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  }

  /** Resolves when the server ends the stream. */
  async end(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the stream is still open');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
          if (event && data) this.messages.push({ event, data: JSON.parse(data) as Record<string, any> });
        }
        for (const wake of this.waiters.splice(0)) wake();
      }
    } catch {
      // Aborted by close().
    }
    this.ended = true;
  }
}
