import { randomUUID } from 'node:crypto';

/** The few Redis commands a lease needs (ioredis signatures). */
export interface LeaseRedis {
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<string | null>;
  eval(script: string, keys: number, ...args: string[]): Promise<unknown>;
}

const RELEASE_IF_MINE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * One broadcast per speaker at a time: a Redis key per speaker holding a random token, set only when absent and
 * released only by its holder, expiring on its own if the holder dies. Not yet a fenced lease (a worker paused past
 * the expiry is fenced by the playback's attempt number in PostgreSQL instead).
 */
export class SpeakerLeases {
  constructor(
    private readonly redis: LeaseRedis,
    private readonly prefix: string,
  ) {}

  private key(speakerId: string): string {
    return `${this.prefix}:speaker-lease:${speakerId}`;
  }

  /** The token when the speaker was free, null when another playback holds it. */
  async acquire(speakerId: string, ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    return (await this.redis.set(this.key(speakerId), token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK' ? token : null;
  }

  async release(speakerId: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE_IF_MINE, 1, this.key(speakerId), token);
  }
}
