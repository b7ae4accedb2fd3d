import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { clearNamedTimer, setNamedInterval } from '../common/named-timers';
import { PlaybackRepository } from '../playbacks/playback-repository';
import { PlaybackView, toPlaybackView } from '../playbacks/playback-view';
import { Placed } from './live-audience';

/** How often the one poller of this process asks PostgreSQL what changed. */
export const LIVE_POLL_MS = 1500;
/** The poller's name in Nest's SchedulerRegistry. */
export const LIVE_POLL_TIMER = 'live-changes';
/**
 * Each poll looks this far behind the previous one: a writer's `updated_at = now()` is its transaction's start,
 * so a row can become visible a little after the instant it carries. Repeats inside the window are dropped.
 */
const LOOKBACK_MS = 10_000;
/** More changed playbacks than this in one poll (a planner run over a province): clients reload instead. */
const MAX_ROWS_PER_POLL = 2000;

export interface LiveSpeaker extends Placed {
  id: string;
  status: string;
  enabled: boolean;
  lastSeenAt: string | null;
}

export type LiveEvent =
  | { type: 'playback'; placed: Placed; data: PlaybackView }
  | { type: 'speaker'; placed: Placed; data: LiveSpeaker }
  /** Too much changed at once to send row by row: reload the lists through the REST API. */
  | { type: 'resync' };

export interface LiveSubscriber {
  send(event: LiveEvent): void;
  /** The process is shutting down: close the stream (the browser reconnects to another process). */
  end(): void;
}

interface SpeakerRow {
  id: string;
  village_id: string;
  commune_id: string;
  status: string;
  enabled: boolean;
  last_seen_at: Date | null;
}

/**
 * What changed in PostgreSQL, fanned out to this process's live streams. One poller per process, running only
 * while someone listens; reading the database (not this process's own events) means a playback is seen whichever
 * worker process dispatched it.
 */
@Injectable()
export class LiveChanges implements OnModuleDestroy {
  private readonly logger = new Logger(LiveChanges.name);
  private readonly subscribers = new Set<LiveSubscriber>();
  /** playback id → updated_at (ms) already sent; pruned once outside the look-back window. */
  private readonly sentPlaybacks = new Map<string, number>();
  /** speaker id → what was last sent about it, so a health check that changed nothing sends nothing. */
  private readonly sentSpeakers = new Map<string, string>();
  private watching = false;
  private since: Date | null = null;
  private polling = false;
  private failing = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly playbacks: PlaybackRepository,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  subscribe(subscriber: LiveSubscriber): () => void {
    this.subscribers.add(subscriber);
    if (!this.watching) setNamedInterval(this.scheduler, LIVE_POLL_TIMER, LIVE_POLL_MS, () => void this.poll());
    this.watching = true;
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  onModuleDestroy(): void {
    for (const subscriber of [...this.subscribers]) subscriber.end();
    this.subscribers.clear();
    this.stop();
  }

  /** One look at what changed since the previous poll; overlapping ticks are skipped. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const [{ now }] = (await this.dataSource.query('SELECT now() AS now')) as [{ now: Date }];
      // The first poll after a quiet spell looks back one window, so a stream opened just before sees what it missed.
      const after = new Date((this.since ?? now).getTime() - LOOKBACK_MS);
      const events = [...(await this.changedPlaybacks(after)), ...(await this.changedSpeakers(after))];
      this.since = now;
      this.prune(after.getTime());
      for (const event of events) for (const subscriber of this.subscribers) subscriber.send(event);
      if (this.failing) this.logger.log('The live feed reads the database again');
      this.failing = false;
    } catch (error) {
      // The streams stay open: the next tick retries, and the browser shows the last known state meanwhile.
      if (!this.failing) this.logger.warn({ err: error }, 'The live feed could not read changes; retrying every tick');
      this.failing = true;
    } finally {
      this.polling = false;
    }
  }

  private async changedPlaybacks(after: Date): Promise<LiveEvent[]> {
    const rows = await this.playbacks.changedSince(after, MAX_ROWS_PER_POLL + 1);
    if (rows.length > MAX_ROWS_PER_POLL) {
      for (const row of rows) this.sentPlaybacks.set(row.id, row.updatedAt.getTime());
      return [{ type: 'resync' }];
    }
    const fresh = rows.filter((row) => this.sentPlaybacks.get(row.id) !== row.updatedAt.getTime());
    for (const row of fresh) this.sentPlaybacks.set(row.id, row.updatedAt.getTime());
    return fresh.map((row) => ({ type: 'playback', placed: { communeId: row.communeId, villageId: row.villageId }, data: toPlaybackView(row) }));
  }

  private async changedSpeakers(after: Date): Promise<LiveEvent[]> {
    const rows = (await this.dataSource.query(
      `SELECT s.id, s.village_id, v.commune_id, s.status, s.enabled, s.last_seen_at
         FROM speakers s JOIN villages v ON v.id = s.village_id
        WHERE s.updated_at > $1`,
      [after],
    )) as SpeakerRow[];
    const events: LiveEvent[] = [];
    for (const row of rows) {
      const signature = `${row.status}|${row.enabled}|${row.village_id}`;
      if (this.sentSpeakers.get(row.id) === signature) continue;
      this.sentSpeakers.set(row.id, signature);
      const placed = { communeId: row.commune_id, villageId: row.village_id };
      events.push({
        type: 'speaker',
        placed,
        data: { id: row.id, ...placed, status: row.status, enabled: row.enabled, lastSeenAt: row.last_seen_at?.toISOString() ?? null },
      });
    }
    return events;
  }

  private prune(before: number): void {
    for (const [id, updatedAt] of this.sentPlaybacks) if (updatedAt <= before) this.sentPlaybacks.delete(id);
  }

  private stop(): void {
    clearNamedTimer(this.scheduler, 'interval', LIVE_POLL_TIMER);
    this.watching = false;
    this.since = null;
    this.sentPlaybacks.clear();
    this.sentSpeakers.clear();
  }
}
