import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BulletinStatus } from '../../bulletins/bulletin-status';
import { PlaybackFailure, playbackFailure } from '../playback-failure';
import { CHIME_ITEM, ProgramItem } from './program-audio';

/**
 * How long before the instant a staged slot reads its bulletins' approval again. The answer must be in before the
 * release loop, which does not wait for PostgreSQL: a rejection committed in this last stretch is not seen in time.
 */
export const RECHECK_LEAD_MS = 500;

/**
 * A read this young is shared by whoever asks for the same bulletins: the villages of one slot staged together, and an
 * attempt at the instant right after the read before it (an emergency taking a busy speaker waits for no query).
 */
const SHARED_READ_MS = 1_000;

/** A bulletin of a program that may no longer air, as it is now. */
interface Withdrawn {
  title: string;
  status: BulletinStatus;
}

/**
 * What the dispatcher knows of its programs' approval, read at staging and again shortly before the instant.
 * `cleared` answers synchronously from the latest read, so the release loop checks every speaker's program without
 * an await; a recheck that fails or is late leaves the staging read in force (the slot was approved then).
 */
export class ApprovalCheck {
  private readonly logger = new Logger(ApprovalCheck.name);

  constructor(
    private withdrawn: Map<string, Withdrawn>,
    private readonly read: () => Promise<Map<string, Withdrawn>>,
  ) {}

  /** Whether every bulletin of the program was still approved at the latest read (the chime is no bulletin). */
  cleared(program: ProgramItem[]): boolean {
    return program.every((item) => !this.withdrawn.has(item.bulletinId));
  }

  /** `bulletin_withdrawn`, naming the program's bulletins that are no longer approved. */
  failure(program: ProgramItem[]): PlaybackFailure {
    const names = [...new Set(program.map((item) => item.bulletinId))]
      .filter((id) => this.withdrawn.has(id))
      .map((id) => `"${this.withdrawn.get(id)!.title}" is ${this.withdrawn.get(id)!.status}`);
    return playbackFailure('bulletin_withdrawn', `not sent to the speaker: ${names.join(', ')}`);
  }

  /** Reads the approval again RECHECK_LEAD_MS before `instantMs` (at once if that is past). */
  recheckBefore(instantMs: number): void {
    const timer = setTimeout(
      () =>
        void this.read().then(
          (withdrawn) => (this.withdrawn = withdrawn),
          (error: unknown) => this.logger.warn({ err: error }, 'Could not read the bulletins’ approval again before the instant; the staging read stands'),
        ),
      Math.max(0, instantMs - RECHECK_LEAD_MS - Date.now()),
    );
    // A worker with nothing else to do than wait must still be allowed to exit.
    timer.unref();
  }
}

/**
 * Approval holds until the speaker: before the dispatcher sends a program it reads whether each of its bulletins is
 * still approved, at staging, again just before the instant, and before every later attempt. Reads of the same
 * bulletins less than SHARED_READ_MS apart share one query.
 */
@Injectable()
export class ProgramApproval {
  private readonly reads = new Map<string, { startedAt: number; withdrawn: Promise<Map<string, Withdrawn>> }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The approval of these programs' bulletins as it is now. */
  async check(programs: ProgramItem[][]): Promise<ApprovalCheck> {
    const ids = [...new Set(programs.flat().map((item) => item.bulletinId))].filter((id) => id !== CHIME_ITEM).sort();
    const read = (): Promise<Map<string, Withdrawn>> => this.withdrawnOf(ids);
    return new ApprovalCheck(await read(), read);
  }

  /** Those of the bulletins that are not approved now: a read started less than SHARED_READ_MS ago is shared. */
  private withdrawnOf(ids: string[]): Promise<Map<string, Withdrawn>> {
    if (ids.length === 0) return Promise.resolve(new Map());
    const key = ids.join(',');
    const startedAt = Date.now();
    const shared = this.reads.get(key);
    if (shared && startedAt - shared.startedAt < SHARED_READ_MS) return shared.withdrawn;
    const withdrawn = this.dataSource
      .query(`SELECT id, title, status FROM bulletins WHERE id = ANY($1::uuid[]) AND status <> $2`, [ids, BulletinStatus.Approved])
      .then((rows: Array<{ id: string } & Withdrawn>) => new Map(rows.map((row) => [row.id, { title: row.title, status: row.status }])));
    const read = { startedAt, withdrawn };
    this.reads.set(key, read);
    const forget = (): void => {
      if (this.reads.get(key) === read) this.reads.delete(key);
    };
    // A failed read is not shared; a good one is forgotten once too old to be.
    withdrawn.then(() => void setTimeout(forget, SHARED_READ_MS).unref(), forget);
    return withdrawn;
  }
}
