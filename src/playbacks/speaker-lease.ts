import { randomUUID } from 'node:crypto';
import { priorityRank } from './preemption';

/** The few Redis commands a lease needs (ioredis signatures). */
export interface LeaseRedis {
  get(key: string): Promise<string | null>;
  mget(...keys: string[]): Promise<Array<string | null>>;
  eval(script: string, keys: number, ...args: string[]): Promise<unknown>;
}

/** What the lease key holds: who is on air, at which priority, under which fencing token. */
export interface LeaseHolder {
  /** Increases with every grant on this speaker (Redis INCR): a later holder always has a larger fence. */
  fence: number;
  playbackId: string;
  priority: string;
  token: string;
}

/** A lease: its exact stored value (for compare-and-set) and what it says. */
export interface Lease extends LeaseHolder {
  value: string;
  /** When it expires (ms since the epoch) if this process was granted it; null when read from another holder. */
  expiresAt: number | null;
}

/**
 * KEYS: lease, waiting mark, fence counter. ARGV: value without fence (JSON), rank, ttl ms, mark ttl ms.
 * Grants the speaker when it is free and nobody of a higher rank waits for it (same rule as
 * `mayTakeFreeSpeaker`); otherwise a waiter above normal leaves its rank in the waiting mark, and null comes back.
 */
const GRANT = `
local function grant(lease, mark, fence, draft, rank, ttl, markTtl)
  local waiting = -1
  local marked = redis.call('get', mark)
  if marked then waiting = tonumber(marked) end
  if redis.call('exists', lease) == 1 or waiting > rank then
    if rank > 0 and rank >= waiting then redis.call('set', mark, tostring(rank), 'PX', markTtl) end
    return false
  end
  local holder = cjson.decode(draft)
  holder.fence = redis.call('incr', fence)
  local value = cjson.encode(holder)
  redis.call('set', lease, value, 'PX', ttl)
  if waiting == rank then redis.call('del', mark) end
  return value
end
`;

const ACQUIRE = `${GRANT}
return grant(KEYS[1], KEYS[2], KEYS[3], ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4])`;

/**
 * KEYS: (lease, waiting mark, fence counter) per speaker. ARGV: rank, ttl ms, mark ttl ms, then one draft per speaker.
 * The same rule as ACQUIRE for a whole village in one round trip; answers each speaker's value, or false.
 */
const ACQUIRE_MANY = `${GRANT}
local granted = {}
for i = 1, #KEYS / 3 do
  granted[i] = grant(KEYS[i * 3 - 2], KEYS[i * 3 - 1], KEYS[i * 3], ARGV[3 + i], tonumber(ARGV[1]), ARGV[2], ARGV[3])
end
return granted`;

/** KEYS: lease, fence counter. ARGV: the holder's exact value, the new value without fence, ttl ms. */
const TAKE_OVER = `
if redis.call('get', KEYS[1]) ~= ARGV[1] then return false end
local holder = cjson.decode(ARGV[2])
holder.fence = redis.call('incr', KEYS[2])
local value = cjson.encode(holder)
redis.call('set', KEYS[1], value, 'PX', ARGV[3])
return value`;

/** KEYS: lease. ARGV: playback id. Frees the speaker if that playback holds it (its worker sees the loss and stops). */
const REVOKE = `
local value = redis.call('get', KEYS[1])
if not value then return 0 end
local ok, holder = pcall(cjson.decode, value)
if ok and type(holder) == 'table' and holder.playbackId == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

/**
 * KEYS: (lease, fence counter) per lease. ARGV: (value, fence, ttl ms) per lease. Puts back each lease that Redis
 * lost: the lease and its fence counter both gone (FLUSHALL, a restart without persistence), whereas a stop or an
 * expiry leaves the counter and a take-over the key. Answers 1 for each lease held (put back or never lost), else 0.
 */
const RESTORE_LOST = `
local held = {}
for i = 1, #KEYS / 2 do
  local lease, fence = KEYS[i * 2 - 1], KEYS[i * 2]
  local value = redis.call('get', lease)
  if value == ARGV[i * 3 - 2] then
    held[i] = 1
  elseif not value and redis.call('exists', fence) == 0 then
    redis.call('set', lease, ARGV[i * 3 - 2], 'PX', ARGV[i * 3])
    redis.call('set', fence, ARGV[i * 3 - 1])
    held[i] = 1
  else
    held[i] = 0
  end
end
return held`;

const RELEASE_IF_MINE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * One broadcast per speaker at a time: a Redis key per speaker holding `{fence, playbackId, priority, token}`,
 * set only when absent (or taken over by an emergency through compare-and-set), released only by its holder,
 * expiring on its own if the holder dies. The fence grows with every grant; a holder checks that the key still
 * holds its own value while it plays, and its PostgreSQL writes are guarded by its attempt number, so a worker
 * that lost its lease (pre-empted, paused past expiry) never records over a newer one.
 */
export class SpeakerLeases {
  constructor(
    private readonly redis: LeaseRedis,
    private readonly prefix: string,
    /** How long a waiting priority/emergency playback's mark outlives its last try. */
    private readonly waitMarkMs = 3_000,
  ) {}

  private key(speakerId: string): string {
    return `${this.prefix}:speaker-lease:${speakerId}`;
  }

  private waitKey(speakerId: string): string {
    return `${this.prefix}:speaker-waiting:${speakerId}`;
  }

  private fenceKey(speakerId: string): string {
    return `${this.prefix}:speaker-fence:${speakerId}`;
  }

  /** The lease when the speaker was free (and nobody higher waits for it), null otherwise. */
  async acquire(speakerId: string, playbackId: string, priority: string, ttlMs: number): Promise<Lease | null> {
    const draft = JSON.stringify({ playbackId, priority, token: randomUUID() });
    const expiresAt = Date.now() + ttl(ttlMs);
    const value = await this.redis.eval(
      ACQUIRE,
      3,
      this.key(speakerId),
      this.waitKey(speakerId),
      this.fenceKey(speakerId),
      draft,
      String(priorityRank(priority)),
      String(ttl(ttlMs)),
      String(this.waitMarkMs),
    );
    return typeof value === 'string' ? parseLease(value, expiresAt) : null;
  }

  /**
   * `acquire` for many speakers at one priority in one Redis round trip (a village staged ahead of its instant):
   * the leases granted, by speaker id; a speaker missing from the answer was busy or awaited by a higher priority.
   */
  async acquireMany(claims: Array<{ speakerId: string; playbackId: string }>, priority: string, ttlMs: number): Promise<Map<string, Lease>> {
    const granted = new Map<string, Lease>();
    if (claims.length === 0) return granted;
    const keys = claims.flatMap(({ speakerId }) => [this.key(speakerId), this.waitKey(speakerId), this.fenceKey(speakerId)]);
    const drafts = claims.map(({ playbackId }) => JSON.stringify({ playbackId, priority, token: randomUUID() }));
    const expiresAt = Date.now() + ttl(ttlMs);
    const values = (await this.redis.eval(
      ACQUIRE_MANY,
      keys.length,
      ...keys,
      String(priorityRank(priority)),
      String(ttl(ttlMs)),
      String(this.waitMarkMs),
      ...drafts,
    )) as unknown[];
    claims.forEach(({ speakerId }, index) => {
      const value = values[index];
      const lease = typeof value === 'string' ? parseLease(value, expiresAt) : null;
      if (lease) granted.set(speakerId, lease);
    });
    return granted;
  }

  /**
   * Which of these leases still hold their speaker, in one round trip while none is missing (a village's holders
   * watching for take-overs). A granted lease that Redis lost with everything else, rather than to a stop or a
   * take-over, was taken by nobody: it is put back and still holds, so an emptied Redis interrupts no broadcast.
   */
  async stillHeld(held: Array<{ speakerId: string; lease: Lease }>): Promise<boolean[]> {
    if (held.length === 0) return [];
    const values = await this.redis.mget(...held.map(({ speakerId }) => this.key(speakerId)));
    const mine = held.map(({ lease }, index) => values[index] === lease.value);
    const now = Date.now();
    const missing = held.flatMap((entry, index) =>
      values[index] === null && entry.lease.expiresAt !== null && entry.lease.expiresAt > now ? [{ ...entry, index }] : [],
    );
    if (missing.length === 0) return mine;
    const restored = (await this.redis.eval(
      RESTORE_LOST,
      missing.length * 2,
      ...missing.flatMap(({ speakerId }) => [this.key(speakerId), this.fenceKey(speakerId)]),
      ...missing.flatMap(({ lease }) => [lease.value, String(lease.fence), String(ttl(lease.expiresAt! - now))]),
    )) as number[];
    for (const [position, { index }] of missing.entries()) mine[index] = restored[position] === 1;
    return mine;
  }

  /** Whether each speaker's lease is held for that playback (by any process), in one round trip. */
  async heldFor(claims: Array<{ speakerId: string; playbackId: string }>): Promise<boolean[]> {
    if (claims.length === 0) return [];
    const values = await this.redis.mget(...claims.map(({ speakerId }) => this.key(speakerId)));
    return claims.map(({ playbackId }, index) => {
      const value = values[index];
      return value !== null && parseLease(value)?.playbackId === playbackId;
    });
  }

  /** Who holds the speaker now, or null when it is free. */
  async holder(speakerId: string): Promise<Lease | null> {
    const value = await this.redis.get(this.key(speakerId));
    return value ? parseLease(value) : null;
  }

  /** Replaces `holder` by a new lease, only if `holder` still holds the speaker; null when it moved on. */
  async takeOver(speakerId: string, holder: Lease, playbackId: string, priority: string, ttlMs: number): Promise<Lease | null> {
    const draft = JSON.stringify({ playbackId, priority, token: randomUUID() });
    const expiresAt = Date.now() + ttl(ttlMs);
    const value = await this.redis.eval(TAKE_OVER, 2, this.key(speakerId), this.fenceKey(speakerId), holder.value, draft, String(ttl(ttlMs)));
    return typeof value === 'string' ? parseLease(value, expiresAt) : null;
  }

  /** True while `lease` still holds the speaker. */
  async holds(speakerId: string, lease: Lease): Promise<boolean> {
    return (await this.redis.get(this.key(speakerId))) === lease.value;
  }

  /** Takes the speaker from `playbackId` if it holds it; true when it did. */
  async revoke(speakerId: string, playbackId: string): Promise<boolean> {
    return Number(await this.redis.eval(REVOKE, 1, this.key(speakerId), playbackId)) === 1;
  }

  async release(speakerId: string, lease: Lease): Promise<void> {
    await this.redis.eval(RELEASE_IF_MINE, 1, this.key(speakerId), lease.value);
  }
}

function ttl(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

function parseLease(value: string, expiresAt: number | null = null): Lease | null {
  try {
    const parsed = JSON.parse(value) as Partial<LeaseHolder>;
    if (typeof parsed.playbackId !== 'string' || typeof parsed.priority !== 'string') return null;
    return { fence: Number(parsed.fence), playbackId: parsed.playbackId, priority: parsed.priority, token: String(parsed.token), value, expiresAt };
  } catch {
    // A lease written by an older version (a bare token): treated as a normal holder with no playback known.
    return { fence: 0, playbackId: '', priority: 'normal', token: value, value, expiresAt };
  }
}
