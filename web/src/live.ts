import { authHeaders, signalUnauthorized } from './api';

export type LiveState = 'connecting' | 'live' | 'offline';

export interface LiveHandlers {
  /** The stream is (re)connected: load the lists now, then apply the events that follow. */
  ready(): void;
  playback?(playback: Record<string, unknown>): void;
  speaker?(speaker: Record<string, unknown>): void;
  state?(state: LiveState): void;
}

const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 30_000;

/**
 * Follows GET /api/live. EventSource cannot send the bearer token, so this reads the stream with fetch and parses
 * server-sent events itself; it reconnects with a growing pause and answers a function that stops it.
 */
export function followLive(handlers: LiveHandlers): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  let retryMs = RETRY_MIN_MS;
  let timer: number | undefined;

  const dispatch = (event: string, data: string) => {
    if (event === 'ready' || event === 'resync') {
      retryMs = RETRY_MIN_MS;
      handlers.state?.('live');
      handlers.ready();
      return;
    }
    const parsed = JSON.parse(data) as Record<string, unknown>;
    if (event === 'playback') handlers.playback?.(parsed);
    if (event === 'speaker') handlers.speaker?.(parsed);
  };

  async function connect(): Promise<void> {
    handlers.state?.('connecting');
    controller = new AbortController();
    try {
      const response = await fetch('/api/live', { headers: { Accept: 'text/event-stream', ...authHeaders() }, signal: controller.signal });
      if (response.status === 401) {
        stopped = true;
        signalUnauthorized();
        return;
      }
      if (!response.ok || !response.body) throw new Error(`live feed answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length) dispatch(event, data.join('\n'));
        }
      }
    } catch {
      // Network gone or the stream was stopped: reconnect below unless stopped.
    }
    if (stopped) return;
    handlers.state?.('offline');
    timer = window.setTimeout(() => void connect(), retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  void connect();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    controller?.abort();
  };
}

/** A small badge that says whether the screen is live. */
export function liveLabel(state: LiveState): { text: string; tone: string } {
  if (state === 'live') return { text: 'Trực tiếp', tone: 'good' };
  if (state === 'connecting') return { text: 'Đang kết nối…', tone: 'wait' };
  return { text: 'Mất kết nối, đang thử lại…', tone: 'bad' };
}
