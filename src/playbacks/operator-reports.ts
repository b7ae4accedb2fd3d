import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { AirtimeEntry } from '../airtime/airtime-ledger';
import { appendInTransaction } from '../airtime/transactional-append';
import { AuthUser } from '../auth/auth-user';
import { OutOfScopeException } from '../auth/scope';
import { ConfirmPlaybackDto, ReportProblemDto } from './dto/operator-report.dto';
import { Playback } from './playback.entity';
import { PlaybackRepository } from './playback-repository';
import { PlaybackStatus } from './playback-status';
import { PlaybackView, toPlaybackView } from './playback-view';

/**
 * Why a playback in each status cannot be confirmed as heard: only one on air (`playing`, e.g. a wired cluster
 * waiting for its operator) or that `played` can. A problem can be reported on any.
 */
const NOT_CONFIRMABLE: Partial<Record<PlaybackStatus, string>> = {
  [PlaybackStatus.Planned]: 'This playback has not gone on air yet',
  [PlaybackStatus.Queued]: 'This playback has not gone on air yet',
  [PlaybackStatus.Dispatching]: 'This playback is still being sent to its speaker and is not on air yet',
  [PlaybackStatus.Failed]: 'This playback failed',
  [PlaybackStatus.Missed]: 'This playback was missed and never went on air',
  [PlaybackStatus.Preempted]: 'This playback was interrupted by a more urgent broadcast',
  [PlaybackStatus.Cancelled]: 'This playback was cancelled and never went on air',
};

/** How long an operator has to take back a "heard" tapped by mistake. */
export const CONFIRMATION_UNDO_MS = 5 * 60_000;

/**
 * A village operator's word on a playback of their village: "it was heard" (the proof for wired/FM clusters, a
 * second witness for IP speakers) or "there was a problem". Each is appended to the broadcast log and kept on the
 * playback. Only a playback on air or played can be confirmed; a problem can be reported on any. The first
 * confirmation is final: repeating it (a double tap, or another note) records nothing more and answers the
 * confirmation already kept, but the operator who gave it may take it back within five minutes (a tap by mistake);
 * the withdrawal is in the audit log, while the broadcast log keeps what was said. A problem report is recorded
 * again only when its kind or note changes.
 */
@Injectable()
export class OperatorReports {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly playbacks: PlaybackRepository,
  ) {}

  confirm(id: string, dto: ConfirmPlaybackDto, caller: AuthUser): Promise<PlaybackView> {
    const note = dto.note?.trim() || null;
    return this.withPlayback(id, caller, async (db, playback, driver, now) => {
      if (playback.confirmedAt) return playback;
      const refusal = NOT_CONFIRMABLE[playback.status];
      if (refusal) throw new ConflictException(`${refusal}, so it cannot be confirmed as heard; report a problem instead if something went wrong`);
      await appendInTransaction(db, [
        this.entry(playback, now, {
          event: 'operator_confirmed',
          evidenceLevel: 'operator_confirmed',
          evidence: { operatorId: caller.id, operator: caller.username, note },
        }),
      ]);
      // A wired/FM cluster waits in `playing` for exactly this: the operator's word is its proof of play.
      const played = driver === 'manual' && playback.status === PlaybackStatus.Playing;
      return this.playbacks.recordConfirmation(db, id, { at: now, by: caller.id, note, proofOfPlay: played });
    });
  }

  withdrawConfirmation(id: string, caller: AuthUser): Promise<PlaybackView> {
    return this.withPlayback(id, caller, async (db, playback, driver, now) => {
      if (!playback.confirmedAt) throw new ConflictException('This playback has not been confirmed as heard, so there is nothing to take back');
      if (playback.confirmedBy !== caller.id) throw new ForbiddenException('Only the operator who confirmed this playback can take the confirmation back');
      if (now.getTime() - playback.confirmedAt.getTime() > CONFIRMATION_UNDO_MS) {
        throw new ConflictException('The confirmation was given more than 5 minutes ago and stands; report a problem if something went wrong');
      }
      if (driver === 'manual' && playback.status === PlaybackStatus.Played) {
        throw new ConflictException('This confirmation is the proof that a wired cluster played and stands; report a problem if it was not heard');
      }
      return this.playbacks.withdrawConfirmation(db, id);
    });
  }

  reportProblem(id: string, dto: ReportProblemDto, caller: AuthUser): Promise<PlaybackView> {
    const note = dto.note?.trim() || null;
    return this.withPlayback(id, caller, async (db, playback, _driver, now) => {
      if (playback.problemKind === dto.kind && playback.problemNote === note) return playback;
      await appendInTransaction(db, [
        this.entry(playback, now, {
          event: 'operator_problem',
          evidenceLevel: null,
          evidence: { operatorId: caller.id, operator: caller.username, kind: dto.kind, note },
        }),
      ]);
      return this.playbacks.recordProblem(db, id, { kind: dto.kind, note, at: now, by: caller.id });
    });
  }

  /**
   * Runs `work` in one transaction holding the playback's row lock, so a double tap waits for the first and then
   * sees it done. The airtime record is appended in that same transaction: the log and the playback's columns
   * change together or not at all.
   */
  private async withPlayback(
    id: string,
    caller: AuthUser,
    work: (db: EntityManager, playback: Playback, driver: string, now: Date) => Promise<Playback>,
  ): Promise<PlaybackView> {
    const result = await this.dataSource.transaction(async (db) => {
      const playback = await this.playbacks.lockForReport(db, id);
      if (!playback || !caller.villageIds.includes(playback.villageId)) throw new OutOfScopeException('No such playback in your villages');
      const now = new Date();
      if (playback.scheduledAt > now) {
        const [{ timezone }] = (await db.query('SELECT timezone FROM communes WHERE id = $1', [playback.communeId])) as [{ timezone: string }];
        const at = DateTime.fromJSDate(playback.scheduledAt).setZone(timezone).toFormat('HH:mm dd/MM/yyyy');
        throw new ConflictException(`This broadcast is scheduled for ${at}; confirm it or report a problem once that time has passed`);
      }
      const [{ driver }] = (await db.query('SELECT driver FROM speakers WHERE id = $1', [playback.speakerId])) as [{ driver: string }];
      return work(db, playback, driver, now);
    });
    return toPlaybackView(result);
  }

  private entry(playback: Playback, now: Date, fact: Pick<AirtimeEntry, 'event' | 'evidenceLevel' | 'evidence'>): AirtimeEntry {
    return {
      communeId: playback.communeId,
      villageId: playback.villageId,
      speakerId: playback.speakerId,
      playbackId: playback.id,
      occurredAt: now,
      audioSha256: null,
      scheduledAt: playback.scheduledAt,
      actualAt: playback.startedAt,
      onAirMs: null,
      ...fact,
    };
  }
}
