import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVIDENCE_LEVELS } from '../airtime/airtime-ledger';
import { SchedulePriority } from '../schedules/schedule-priority';
import { Speaker } from '../speakers/speaker.entity';
import { PlaybackEvidenceRecord } from './playback.entity';
import { PlaybackFailure, PlaybackFailureCode } from './playback-failure';
import { canMovePlayback, PLAYBACK_STATUSES, PlaybackStatus, playbackStatusesBefore } from './playback-status';
import { VillageSlot } from './planning';

/** A playback of a village slot that still waits for its driver call (or whose attempt's worker died). */
export interface SlotPlayback {
  id: string;
  speakerId: string;
  communeId: string;
  villageId: string;
  priority: SchedulePriority;
  /** The version of the schedule's program it plays. */
  programVersion: number;
  status: PlaybackStatus;
  attempts: number;
  scheduledAt: Date;
  graceUntil: Date;
  /** What its driver needs of the speaker, read with it; null when the speaker was removed. */
  speaker: Speaker | null;
}

/** The end of one attempt, written only if that attempt is still the playback's latest and the state machine allows it. */
export interface AttemptOutcome {
  id: string;
  attempt: number;
  status: PlaybackStatus.Played | PlaybackStatus.Playing | PlaybackStatus.Failed | PlaybackStatus.Missed;
  failure: PlaybackFailure | null;
  evidence: PlaybackEvidenceRecord | null;
  finishedAt: Date | null;
}

/** A driver call's instant, for the attempt it was made for. */
export interface AttemptCall {
  id: string;
  attempt: number;
  calledAt: number;
  scheduledAt: Date;
}

/** Every legal `from>to` move of the state machine, for guarded batch UPDATEs. */
const TRANSITIONS = PLAYBACK_STATUSES.flatMap((from) => PLAYBACK_STATUSES.filter((to) => canMovePlayback(from, to)).map((to) => `${from}>${to}`));
/** What a slot's dispatch loads: not yet terminal nor on air. */
const LOADED_STATUSES = [PlaybackStatus.Planned, PlaybackStatus.Queued, PlaybackStatus.Dispatching];

/** `evidence_level` never goes down: the stronger of the stored level and `$candidate` (an SQL fragment). */
function strongerLevel(candidate: string, levels: string): string {
  return `CASE WHEN array_position(${levels}::text[], ${candidate}) > coalesce(array_position(${levels}::text[], p.evidence_level), 0)
               THEN ${candidate} ELSE p.evidence_level END`;
}

/**
 * The one owner of the `playbacks` table: every statement that reads or writes it lives here, under a name from the
 * domain. Every status change is guarded by the state machine (`playback-status.ts`): its UPDATE only touches rows
 * whose current status may move to the new one, so an illegal transition affects no row (and a terminal playback is
 * never rewritten). Statuses, priorities and reason codes are bound as parameters, never written into the SQL.
 */
@Injectable()
export class PlaybackRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The slot's playbacks not yet terminal nor on air, each with its speaker's driver settings, in one query. */
  async loadSlot(slot: VillageSlot): Promise<SlotPlayback[]> {
    const rows = (await this.dataSource.query(
      `SELECT p.id, p.speaker_id, p.commune_id, p.village_id, p.priority, p.program_version, p.status, p.attempts, p.scheduled_at, p.grace_until,
              s.id AS s_id, s.enabled AS s_enabled, s.driver AS s_driver, s.settings AS s_settings, s.secrets_sealed AS s_secrets_sealed
         FROM playbacks p LEFT JOIN speakers s ON s.id = p.speaker_id
        WHERE p.schedule_id = $1 AND p.scheduled_at = $2 AND p.village_id = $3 AND p.status = ANY($4)
        ORDER BY p.id`,
      [slot.scheduleId, slot.scheduledAt, slot.villageId, LOADED_STATUSES],
    )) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      id: row.id as string,
      speakerId: row.speaker_id as string,
      communeId: row.commune_id as string,
      villageId: row.village_id as string,
      priority: row.priority as SchedulePriority,
      programVersion: row.program_version as number,
      status: row.status as PlaybackStatus,
      attempts: row.attempts as number,
      scheduledAt: row.scheduled_at as Date,
      graceUntil: row.grace_until as Date,
      speaker: row.s_id
        ? Object.assign(new Speaker(), {
            id: row.s_id as string,
            enabled: row.s_enabled as boolean,
            driver: row.s_driver as Speaker['driver'],
            settings: row.s_settings as Speaker['settings'],
            secretsSealed: row.s_secrets_sealed as string | null,
          })
        : null,
    }));
  }

  /**
   * Claims an attempt of each playback that may become `dispatching` (attempts + 1), in one statement: the attempt
   * number of each that moved. One that may not (terminal, on air) is left as it is and is absent from the answer.
   */
  async claimAttempts(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `UPDATE playbacks SET status = $3, attempts = attempts + 1, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status = ANY($2) RETURNING id, attempts`,
      [ids, playbackStatusesBefore(PlaybackStatus.Dispatching), PlaybackStatus.Dispatching],
    )) as [Array<{ id: string; attempts: number }>, number];
    return new Map(rows[0].map((row) => [row.id, row.attempts]));
  }

  /** The driver calls' instants, each for its attempt: `started_at`, `lateness_ms` (call − scheduled instant), evidence `commanded`. */
  async recordStarted(calls: AttemptCall[]): Promise<void> {
    if (calls.length === 0) return;
    await this.dataSource.query(
      `UPDATE playbacks p SET started_at = to_timestamp(v.called_at / 1000.0), lateness_ms = v.lateness_ms,
            evidence_level = ${strongerLevel('$6', '$5')}, updated_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::float8[], $4::int[]) AS v(id, attempt, called_at, lateness_ms)
      WHERE p.id = v.id AND p.attempts = v.attempt`,
      [
        calls.map((call) => call.id),
        calls.map((call) => call.attempt),
        calls.map((call) => call.calledAt),
        calls.map((call) => Math.round(call.calledAt - call.scheduledAt.getTime())),
        EVIDENCE_LEVELS,
        'commanded',
      ],
    );
  }

  /** Attempts' ends in one statement, each only if its attempt is still the latest and the state machine allows the move. */
  async recordOutcomes(outcomes: AttemptOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `UPDATE playbacks p SET status = v.status, failure_code = v.failure_code, failure_detail = v.failure_detail, evidence = v.evidence::jsonb,
              evidence_level = ${strongerLevel('v.evidence_level', '$8')}, finished_at = v.finished_at, updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $9::text[], $10::text[])
              AS v(id, attempt, status, failure_code, evidence, finished_at, evidence_level, failure_detail)
        WHERE p.id = v.id AND p.attempts = v.attempt AND (p.status || '>' || v.status) = ANY($7)`,
      [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.attempt),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.failure?.code ?? null),
        outcomes.map((o) => (o.evidence ? JSON.stringify(o.evidence) : null)),
        outcomes.map((o) => o.finishedAt),
        TRANSITIONS,
        EVIDENCE_LEVELS,
        outcomes.map((o) => (o.evidence?.items.length ? o.evidence.level : null)),
        outcomes.map((o) => o.failure?.detail ?? null),
      ],
    );
  }

  /** `missed` with a reason, for playbacks no attempt was committed for (or whose attempt's worker died): the ids that moved. */
  async markMissed(ids: string[], failure: PlaybackFailure): Promise<string[]> {
    return this.endWithoutCall(ids, PlaybackStatus.Missed, failure, playbackStatusesBefore(PlaybackStatus.Missed));
  }

  /** `failed` before any attempt (the speaker or the program's audio was gone by the instant): the ids that moved. */
  async failBeforeAttempt(ids: string[], failure: PlaybackFailure): Promise<string[]> {
    return this.endWithoutCall(ids, PlaybackStatus.Failed, failure, [PlaybackStatus.Planned, PlaybackStatus.Queued]);
  }

  /**
   * `preempted` with the evidence the holder gathered, guarded by its attempt (the emergency or the stop may have set
   * the status and its reason already); answers the reason code recorded.
   */
  async recordPreempted(id: string, attempt: number, code: PlaybackFailureCode, evidence: PlaybackEvidenceRecord): Promise<PlaybackFailureCode> {
    const [rows] = (await this.dataSource.query(
      `UPDATE playbacks p SET status = $8, failure_code = COALESCE(failure_code, $3), evidence = $4,
            evidence_level = ${strongerLevel('$6', '$7')}, finished_at = COALESCE(finished_at, now()), updated_at = now()
      WHERE id = $1 AND attempts = $2 AND status = ANY($5) RETURNING failure_code`,
      [
        id,
        attempt,
        code,
        JSON.stringify(evidence),
        [...playbackStatusesBefore(PlaybackStatus.Preempted), PlaybackStatus.Preempted],
        evidence.items.length ? evidence.level : null,
        EVIDENCE_LEVELS,
        PlaybackStatus.Preempted,
      ],
    )) as [Array<{ failure_code: PlaybackFailureCode | null }>, number];
    return rows[0]?.failure_code ?? code;
  }

  /** Marks `holderId` pre-empted if it is still on air; true when this call did. */
  async preemptOnAir(holderId: string, code: PlaybackFailureCode): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `UPDATE playbacks SET status = $4, failure_code = $2, failure_detail = NULL, finished_at = now(), updated_at = now() WHERE id = $1 AND status = ANY($3)`,
      [holderId, code, playbackStatusesBefore(PlaybackStatus.Preempted), PlaybackStatus.Preempted],
    )) as [unknown, number];
    return count > 0;
  }

  /** Whether this attempt of the playback was pre-empted (by an emergency or a stop) while it played. */
  async isPreempted(id: string, attempt: number): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM playbacks WHERE id = $1 AND attempts = $2 AND status = $3`, [
      id,
      attempt,
      PlaybackStatus.Preempted,
    ])) as unknown[];
    return rows.length > 0;
  }

  private async endWithoutCall(ids: string[], status: PlaybackStatus, failure: PlaybackFailure, from: PlaybackStatus[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const [rows] = (await this.dataSource.query(
      `UPDATE playbacks SET status = $2, failure_code = $3, failure_detail = $5, finished_at = now(), updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status = ANY($4) RETURNING id`,
      [ids, status, failure.code, from, failure.detail],
    )) as [Array<{ id: string }>, number];
    return rows.map((row) => row.id);
  }
}
