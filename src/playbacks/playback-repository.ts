import { Injectable } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { DataSource, EntityManager, In, MoreThan } from 'typeorm';
import { AirtimeEvidenceLevel, EVIDENCE_LEVELS } from '../airtime/airtime-ledger';
import { KeysetCursor } from '../common/keyset-cursor';
import { AsRunRecord } from '../reports/as-run-record';
import { reportConditions } from '../reports/report-conditions';
import { ReportRequest } from '../reports/report-request';
import { PLAYED_WITH_PROBLEM, PlaybackCount, SUMMARY_GROUPING_SETS } from '../reports/summary-aggregation';
import { SchedulePriority } from '../schedules/schedule-priority';
import { ScheduleStatus } from '../schedules/schedule-status';
import { Speaker } from '../speakers/speaker.entity';
import { Playback, PlaybackEvidenceRecord } from './playback.entity';
import { PlaybackFailure, PlaybackFailureCode } from './playback-failure';
import { canMovePlayback, PLAYBACK_STATUSES, PlaybackStatus, playbackStatusesBefore, WAITING_PLAYBACK_STATUSES } from './playback-status';
import { PlannedPlayback, VillageSlot } from './planning';
import {
  AttemptCall,
  AttemptOutcome,
  Occurrence,
  OperatorConfirmation,
  OperatorProblem,
  PlaybackPageQuery,
  QueuedSlotRow,
  ScheduleWindow,
  SlotPlayback,
  StaleRow,
  WaitingRow,
  WithdrawnRow,
} from './playback-rows';

// The codes the statements write, typed here so that a code that does not exist fails to compile.
const COMMANDED: AirtimeEvidenceLevel = 'commanded';
const OPERATOR_CONFIRMED: AirtimeEvidenceLevel = 'operator_confirmed';
const SERVICE_DOWN: PlaybackFailureCode = 'service_down';
const WORKER_LOST: PlaybackFailureCode = 'worker_lost';
const SCHEDULE_CANCELLED: PlaybackFailureCode = 'schedule_cancelled';

/** Broadcast log lines per FETCH: large enough to amortise the round trip, small enough to keep memory flat. */
const FETCH_SIZE = 1000;

/** Every legal `from>to` move of the state machine, for guarded batch UPDATEs. */
const TRANSITIONS = PLAYBACK_STATUSES.flatMap((from) => PLAYBACK_STATUSES.filter((to) => canMovePlayback(from, to)).map((to) => `${from}>${to}`));
/** What a slot's dispatch loads: not yet terminal nor on air. */
const LOADED_STATUSES = [PlaybackStatus.Planned, PlaybackStatus.Queued, PlaybackStatus.Dispatching];

/** Those of `statuses` the state machine lets move to `to`: the guard of an UPDATE that picks rows by status. */
function movable(statuses: readonly PlaybackStatus[], to: PlaybackStatus): PlaybackStatus[] {
  return statuses.filter((from) => canMovePlayback(from, to));
}

/** `AND <column> = ANY($n::uuid[])` when planning is narrowed to some communes (pushing them to `params`), else nothing. */
function communeFilter(column: string, communeIds: string[] | undefined, params: unknown[]): string {
  return communeIds ? `AND ${column} = ANY($${params.push(communeIds)}::uuid[])` : '';
}

/** A village slot as a key. */
function slotKey(scheduleId: string, scheduledAt: Date, villageId: string): string {
  return `${scheduleId}/${scheduledAt.getTime()}/${villageId}`;
}

function slotPlayback(row: Record<string, unknown>): SlotPlayback {
  return {
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
  };
}

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

  /**
   * Each slot's playbacks not yet terminal nor on air, each with its speaker's driver settings: one query for all the
   * slots (the villages staging together), the answer in the slots' order.
   */
  async loadSlots(slots: VillageSlot[]): Promise<SlotPlayback[][]> {
    if (slots.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT p.id, p.schedule_id, p.speaker_id, p.commune_id, p.village_id, p.priority, p.program_version, p.status, p.attempts, p.scheduled_at, p.grace_until,
              s.id AS s_id, s.enabled AS s_enabled, s.driver AS s_driver, s.settings AS s_settings, s.secrets_sealed AS s_secrets_sealed
         FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[]) AS slot(schedule_id, scheduled_at, village_id)
         JOIN playbacks p ON p.schedule_id = slot.schedule_id AND p.scheduled_at = slot.scheduled_at AND p.village_id = slot.village_id
         LEFT JOIN speakers s ON s.id = p.speaker_id
        WHERE p.status = ANY($4)
        ORDER BY p.id`,
      [slots.map((slot) => slot.scheduleId), slots.map((slot) => slot.scheduledAt), slots.map((slot) => slot.villageId), LOADED_STATUSES],
    )) as Array<Record<string, unknown>>;
    const bySlot = new Map<string, SlotPlayback[]>(slots.map((slot) => [slotKey(slot.scheduleId, slot.scheduledAt, slot.villageId), []]));
    for (const row of rows) {
      bySlot.get(slotKey(row.schedule_id as string, row.scheduled_at as Date, row.village_id as string))?.push(slotPlayback(row));
    }
    return slots.map((slot) => bySlot.get(slotKey(slot.scheduleId, slot.scheduledAt, slot.villageId))!);
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
        COMMANDED,
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

  /** The waiting playbacks of these schedules inside their planning windows. */
  async waitingInWindows(windows: ScheduleWindow[]): Promise<WaitingRow[]> {
    if (windows.length === 0) return [];
    return (await this.dataSource.query(
      `SELECT p.id, p.schedule_id, p.speaker_id, p.scheduled_at, p.village_id FROM playbacks p
         JOIN unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS w(schedule_id, from_at, to_at) ON p.schedule_id = w.schedule_id
        WHERE p.status = ANY($4) AND p.scheduled_at >= w.from_at AND p.scheduled_at < w.to_at`,
      [windows.map((window) => window.scheduleId), windows.map((window) => window.from), windows.map((window) => window.to), WAITING_PLAYBACK_STATUSES],
    )) as WaitingRow[];
  }

  /**
   * Deletes these playbacks if they still wait (they were only plans): the rows deleted. One a worker took meanwhile
   * is on air and no longer the planner's to withdraw.
   */
  async withdrawWaiting(ids: string[]): Promise<WithdrawnRow[]> {
    if (ids.length === 0) return [];
    const [deleted] = (await this.dataSource.query(
      'DELETE FROM playbacks WHERE id = ANY($1::uuid[]) AND status = ANY($2) RETURNING id, schedule_id, scheduled_at, village_id',
      [ids, WAITING_PLAYBACK_STATUSES],
    )) as [WithdrawnRow[], number];
    return deleted;
  }

  /** The waiting playbacks of these schedules take their schedule's current priority, grace and program version. */
  async followSchedules(scheduleIds: string[]): Promise<void> {
    if (scheduleIds.length === 0) return;
    await this.dataSource.query(
      `UPDATE playbacks p SET priority = s.priority, grace_until = p.scheduled_at + make_interval(secs => s.misfire_grace_seconds),
              program_version = s.program_version, updated_at = now()
         FROM schedules s
        WHERE p.schedule_id = s.id AND s.id = ANY($1::uuid[]) AND p.status = ANY($2)
          AND (p.priority <> s.priority OR p.grace_until <> p.scheduled_at + make_interval(secs => s.misfire_grace_seconds)
               OR p.program_version <> s.program_version)`,
      [scheduleIds, WAITING_PLAYBACK_STATUSES],
    );
  }

  /** Those of these occurrences that have playbacks already. */
  async occurrencesWithPlaybacks(occurrences: Occurrence[]): Promise<Array<{ schedule_id: string; scheduled_at: Date }>> {
    if (occurrences.length === 0) return [];
    return (await this.dataSource.query(
      `SELECT o.schedule_id, o.scheduled_at FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS o(schedule_id, commune_id, scheduled_at)
        WHERE EXISTS (SELECT 1 FROM playbacks p WHERE p.commune_id = o.commune_id AND p.scheduled_at = o.scheduled_at AND p.schedule_id = o.schedule_id)`,
      [occurrences.map((row) => row.scheduleId), occurrences.map((row) => row.communeId), occurrences.map((row) => row.scheduledAt)],
    )) as Array<{ schedule_id: string; scheduled_at: Date }>;
  }

  /**
   * Inserts these playbacks `planned`, skipping any the table holds already (unique on schedule, speaker and
   * instant): how many were new. One statement, its columns as arrays: a fixed handful of bind parameters whatever
   * the row count.
   */
  async insertPlanned(rows: PlannedPlayback[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = (await this.dataSource.query(
      `INSERT INTO playbacks (schedule_id, speaker_id, village_id, commune_id, priority, program_version, scheduled_at, grace_until, status)
       SELECT *, $9::text FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::timestamptz[], $8::timestamptz[])
       ON CONFLICT ON CONSTRAINT "UQ_playbacks_schedule_speaker_instant" DO NOTHING
       RETURNING id`,
      [
        rows.map((row) => row.scheduleId),
        rows.map((row) => row.speakerId),
        rows.map((row) => row.villageId),
        rows.map((row) => row.communeId),
        rows.map((row) => row.priority),
        rows.map((row) => row.programVersion),
        rows.map((row) => row.scheduledAt),
        rows.map((row) => row.graceUntil),
        PlaybackStatus.Planned,
      ],
    )) as unknown[];
    return inserted.length;
  }

  /**
   * The village slots up to `until` with a playback still waiting, or with an attempt unfinished within its grace
   * (listed with its speaker, so that the planner can ask whether a lease still holds it).
   */
  async slotsToDispatch(until: Date, communeIds?: string[]): Promise<QueuedSlotRow[]> {
    const params: unknown[] = [WAITING_PLAYBACK_STATUSES, until, PlaybackStatus.Dispatching];
    const scoped = communeFilter('commune_id', communeIds, params);
    return (await this.dataSource.query(
      `SELECT schedule_id, scheduled_at, village_id, count(*) FILTER (WHERE status = ANY($1))::int AS waiting,
              coalesce(array_agg(id::text) FILTER (WHERE status = $3), '{}') AS unfinished,
              coalesce(array_agg(speaker_id::text) FILTER (WHERE status = $3), '{}') AS unfinished_speakers
         FROM playbacks
        WHERE scheduled_at <= $2 ${scoped}
          AND (status = ANY($1) OR (status = $3 AND grace_until > now()))
        GROUP BY schedule_id, scheduled_at, village_id`,
      params,
    )) as QueuedSlotRow[];
  }

  /**
   * The village slots up to `until` with a playback still `planned` (no job queued for it yet), with how many: what a
   * minute's tick queues. Read through the status index, so its cost follows what is new, not what waits.
   */
  async plannedSlots(until: Date): Promise<QueuedSlotRow[]> {
    return (await this.dataSource.query(
      `SELECT schedule_id, scheduled_at, village_id, count(*)::int AS waiting, '{}'::text[] AS unfinished, '{}'::text[] AS unfinished_speakers
         FROM playbacks WHERE status = $1 AND scheduled_at <= $2
        GROUP BY schedule_id, scheduled_at, village_id`,
      [PlaybackStatus.Planned, until],
    )) as QueuedSlotRow[];
  }

  /** The `planned` playbacks up to `until` become `queued`: their dispatch jobs are in the queue. */
  async markQueued(until: Date, communeIds?: string[]): Promise<void> {
    const params: unknown[] = [PlaybackStatus.Queued, movable([PlaybackStatus.Planned], PlaybackStatus.Queued), until];
    const scoped = communeFilter('commune_id', communeIds, params);
    await this.dataSource.query(`UPDATE playbacks SET status = $1, updated_at = now() WHERE status = ANY($2) AND scheduled_at <= $3 ${scoped}`, params);
  }

  /**
   * Waiting playbacks more than `marginMs` past their grace were never dispatched: `missed`, reason `service_down`.
   * The bound on `scheduled_at` follows from the grace's (never before the instant) and lets the status index bound
   * the scan to the past, whatever waits ahead.
   */
  async missServiceDown(marginMs: number, communeIds?: string[]): Promise<StaleRow[]> {
    const params: unknown[] = [movable(WAITING_PLAYBACK_STATUSES, PlaybackStatus.Missed), marginMs / 1000, PlaybackStatus.Missed, SERVICE_DOWN];
    const scoped = communeFilter('p.commune_id', communeIds, params);
    const [missed] = (await this.dataSource.query(
      `UPDATE playbacks p SET status = $3, failure_code = $4, failure_detail = NULL, finished_at = now(), updated_at = now()
        WHERE p.status = ANY($1) AND p.grace_until < now() - make_interval(secs => $2)
          AND p.scheduled_at < now() - make_interval(secs => $2) ${scoped}
        RETURNING p.id, p.commune_id, p.village_id, p.speaker_id, p.scheduled_at`,
      params,
    )) as [StaleRow[], number];
    return missed;
  }

  /**
   * Attempts unfinished `marginMs` after their grace and their program's length lost their worker and their job:
   * `failed`, reason `worker_lost`.
   */
  async failWorkerLost(marginMs: number, communeIds?: string[]): Promise<StaleRow[]> {
    const params: unknown[] = [
      marginMs,
      movable([PlaybackStatus.Dispatching], PlaybackStatus.Failed),
      PlaybackStatus.Failed,
      WORKER_LOST,
      'the attempt never finished and its job is gone',
    ];
    const scoped = communeFilter('p.commune_id', communeIds, params);
    const [lost] = (await this.dataSource.query(
      `UPDATE playbacks p SET status = $3, failure_code = $4, failure_detail = $5, finished_at = now(), updated_at = now()
         FROM schedules s
        WHERE p.schedule_id = s.id AND p.status = ANY($2)
          AND p.grace_until + make_interval(secs => (s.program_ms + $1) / 1000.0) < now() ${scoped}
        RETURNING p.id, p.commune_id, p.village_id, p.speaker_id, p.scheduled_at`,
      params,
    )) as [StaleRow[], number];
    return lost;
  }

  /**
   * Deletes the waiting playbacks of paused or quarantined schedules: they were only plans, and resuming (or
   * editing the timing) plans the slots again.
   */
  async withdrawOfPausedSchedules(communeIds?: string[]): Promise<WithdrawnRow[]> {
    const params: unknown[] = [WAITING_PLAYBACK_STATUSES, ScheduleStatus.Paused, ScheduleStatus.Active];
    const scoped = communeFilter('p.commune_id', communeIds, params);
    const [paused] = (await this.dataSource.query(
      `DELETE FROM playbacks p USING schedules s
        WHERE p.schedule_id = s.id AND (s.status = $2 OR (s.status = $3 AND s.quarantined_at IS NOT NULL)) AND p.status = ANY($1) ${scoped}
        RETURNING p.id, p.schedule_id, p.scheduled_at, p.village_id`,
      params,
    )) as [WithdrawnRow[], number];
    return paused;
  }

  /** The waiting playbacks of cancelled schedules become `cancelled` (reason `schedule_cancelled`), which reports keep. */
  async cancelOfCancelledSchedules(communeIds?: string[]): Promise<WithdrawnRow[]> {
    const params: unknown[] = [movable(WAITING_PLAYBACK_STATUSES, PlaybackStatus.Cancelled), ScheduleStatus.Cancelled, PlaybackStatus.Cancelled, SCHEDULE_CANCELLED];
    const scoped = communeFilter('p.commune_id', communeIds, params);
    const [cancelled] = (await this.dataSource.query(
      `UPDATE playbacks p SET status = $3, failure_code = $4, failure_detail = NULL, finished_at = now(), updated_at = now()
         FROM schedules s
        WHERE p.schedule_id = s.id AND s.status = $2 AND p.status = ANY($1) ${scoped}
        RETURNING p.id, p.schedule_id, p.scheduled_at, p.village_id`,
      params,
    )) as [WithdrawnRow[], number];
    return cancelled;
  }

  /** The playback, its row locked for the rest of the transaction `db` (a double tap waits for the first); null if none. */
  lockForReport(db: EntityManager, id: string): Promise<Playback | null> {
    return db.getRepository(Playback).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Keeps an operator's confirmation on the playback (evidence `operator_confirmed`), in the transaction `db`: the playback as it is then. */
  async recordConfirmation(db: EntityManager, id: string, confirmation: OperatorConfirmation): Promise<Playback> {
    await db.query(
      `UPDATE playbacks SET confirmed_at = $2, confirmed_by = $3, confirmation_note = $4, evidence_level = $6,
         status = CASE WHEN $5::boolean AND status = ANY($7) THEN $8 ELSE status END, updated_at = now() WHERE id = $1`,
      [
        id,
        confirmation.at,
        confirmation.by,
        confirmation.note,
        confirmation.proofOfPlay,
        OPERATOR_CONFIRMED,
        movable([PlaybackStatus.Playing], PlaybackStatus.Played),
        PlaybackStatus.Played,
      ],
    );
    return db.getRepository(Playback).findOneByOrFail({ id });
  }

  /**
   * Takes back an operator's confirmation, in the transaction `db`: the proof falls back to what the device reported
   * (`evidence.level`), or to none. The playback as it is then.
   */
  async withdrawConfirmation(db: EntityManager, id: string): Promise<Playback> {
    await db.query(
      `UPDATE playbacks SET confirmed_at = NULL, confirmed_by = NULL, confirmation_note = NULL, evidence_level = evidence->>'level', updated_at = now() WHERE id = $1`,
      [id],
    );
    return db.getRepository(Playback).findOneByOrFail({ id });
  }

  /** Keeps an operator's problem report on the playback, in the transaction `db`: the playback as it is then. */
  async recordProblem(db: EntityManager, id: string, problem: OperatorProblem): Promise<Playback> {
    await db.query(
      `UPDATE playbacks SET problem_kind = $2, problem_note = $3, problem_reported_at = $4, problem_reported_by = $5, updated_at = now() WHERE id = $1`,
      [id, problem.kind, problem.note, problem.at, problem.by],
    );
    return db.getRepository(Playback).findOneByOrFail({ id });
  }

  /**
   * Up to `limit` playbacks matching the query, in scheduled order (latest problem report first when `problem` is
   * true), each order ending with the id so that pages never overlap.
   */
  page(query: PlaybackPageQuery): Promise<Playback[]> {
    const rows = this.dataSource.getRepository(Playback).createQueryBuilder('p');
    if (query.villageScope) rows.andWhere('p.village_id IN (:...villages)', { villages: query.villageScope.length ? query.villageScope : [null] });
    if (query.communeScope) rows.andWhere('p.commune_id IN (:...communes)', { communes: query.communeScope.length ? query.communeScope : [null] });
    if (query.from) rows.andWhere('p.scheduled_at >= :from', { from: query.from });
    if (query.to) rows.andWhere('p.scheduled_at < :to', { to: query.to });
    if (query.scheduleId) rows.andWhere('p.schedule_id = :scheduleId', { scheduleId: query.scheduleId });
    if (query.villageId) rows.andWhere('p.village_id = :villageId', { villageId: query.villageId });
    if (query.status) rows.andWhere('p.status = :status', { status: query.status });
    if (query.problem !== undefined) rows.andWhere(`p.problem_reported_at IS ${query.problem ? 'NOT ' : ''}NULL`);
    if (query.confirmed !== undefined) rows.andWhere(`p.confirmed_at IS ${query.confirmed ? 'NOT ' : ''}NULL`);
    const byProblem = query.problem === true;
    if (byProblem) rows.orderBy('p.problem_reported_at', 'DESC').addOrderBy('p.id', 'ASC');
    else rows.orderBy('p.scheduled_at', 'ASC').addOrderBy('p.id', 'ASC');
    const after = query.after;
    if (after && byProblem) {
      rows.andWhere('(p.problem_reported_at < :afterAt OR (p.problem_reported_at = :afterAt AND p.id > :afterId))', { afterAt: after.at, afterId: after.id });
    } else if (after) {
      rows.andWhere('(p.scheduled_at, p.id) > (:afterAt, :afterId)', { afterAt: after.at, afterId: after.id });
    }
    return rows.take(query.limit).getMany();
  }

  /** A schedule's playbacks, by instant then speaker. */
  ofSchedule(scheduleId: string): Promise<Playback[]> {
    return this.dataSource.getRepository(Playback).find({ where: { scheduleId }, order: { scheduledAt: 'ASC', speakerId: 'ASC' } });
  }

  /** A schedule's playbacks on air now (an attempt committed, its driver called or about to be). */
  onAirOfSchedule(scheduleId: string): Promise<Playback[]> {
    return this.dataSource.getRepository(Playback).findBy({ scheduleId, status: In([PlaybackStatus.Dispatching, PlaybackStatus.Playing]) });
  }

  /** Up to `limit` playbacks changed after `after`, oldest change first. */
  changedSince(after: Date, limit: number): Promise<Playback[]> {
    return this.dataSource.getRepository(Playback).find({ where: { updatedAt: MoreThan(after) }, order: { updatedAt: 'ASC' }, take: limit });
  }

  /** How many playbacks of each status are scheduled from 24 h ago to 24 h ahead (statuses with none are absent). */
  async countByStatusAroundNow(): Promise<Array<{ status: PlaybackStatus; n: number }>> {
    return (await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM playbacks
        WHERE scheduled_at BETWEEN now() - interval '24 hours' AND now() + interval '24 hours' GROUP BY status`,
    )) as Array<{ status: PlaybackStatus; n: number }>;
  }

  /** How many playbacks still wait more than `seconds` after their instant. */
  async countOverdue(seconds: number): Promise<number> {
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM playbacks WHERE status = ANY($1) AND scheduled_at < now() - make_interval(secs => $2)`,
      [WAITING_PLAYBACK_STATUSES, seconds],
    )) as [{ n: number }];
    return n;
  }

  /** How many of a commune's playbacks on a speaker of `driver` play and wait for their operator's confirmation. */
  async awaitingConfirmation(communeId: string, driver: Speaker['driver']): Promise<number> {
    const [{ waiting }] = (await this.dataSource.query(
      `SELECT count(*)::int AS waiting FROM playbacks p JOIN speakers s ON s.id = p.speaker_id
       WHERE p.commune_id = $1 AND s.driver = $2 AND p.status = $3 AND p.confirmed_at IS NULL`,
      [communeId, driver, PlaybackStatus.Playing],
    )) as [{ waiting: number }];
    return waiting;
  }

  /** A page of the broadcast log (the report's lines, in scheduled order) after `after`. */
  async asRunPage(request: ReportRequest, limit: number, after: KeysetCursor | null): Promise<AsRunRecord[]> {
    const { sql, params } = asRunQuery(request, after);
    return (await this.dataSource.query(`${sql} LIMIT $${params.push(limit)}`, params)) as AsRunRecord[];
  }

  /**
   * Every line of the broadcast log, FETCH_SIZE at a time from a server-side cursor in one read-only snapshot, through
   * `connection` (an export connection: the caller takes and frees it). The caller pulls batches as fast as its client
   * takes them; leaving the loop early (a client gone or stalled) closes the cursor and ends the transaction.
   */
  async *asRunBatches(request: ReportRequest, connection: ClientBase): AsyncGenerator<AsRunRecord[]> {
    let open = false;
    try {
      await connection.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      const { sql, params } = asRunQuery(request, null);
      await connection.query(`DECLARE as_run NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const rows = (await connection.query(`FETCH ${FETCH_SIZE} FROM as_run`)).rows as AsRunRecord[];
        if (rows.length === 0) break;
        yield rows;
        if (rows.length < FETCH_SIZE) break;
      }
      await connection.query('COMMIT');
      open = false;
    } finally {
      // After an error or an early exit the transaction is still open: end it before the connection goes back.
      if (open) await connection.query('ROLLBACK').catch(() => undefined);
    }
  }

  /** A summary's counts from the raw playbacks (the speaker-filtered path, and the reference the rollup must equal). */
  async summaryCounts(request: ReportRequest): Promise<PlaybackCount[]> {
    return this.countsOf(request, 'p.status', `coalesce(p.failure_code, '')`, 'TRUE');
  }

  /**
   * Played playbacks of the report whose village operator reported a problem, counted like summaryCounts with status
   * PLAYED_WITH_PROBLEM and the problem's kind as reason. Problem reports are few: the summary reads them raw even
   * when its other counts come from the daily rollup (see withProblemReports).
   */
  async problemReportedPlays(request: ReportRequest): Promise<PlaybackCount[]> {
    return this.countsOf(request, `'${PLAYED_WITH_PROBLEM}'::text`, 'p.problem_kind', `p.status = 'played' AND p.problem_kind IS NOT NULL`);
  }

  private async countsOf(request: ReportRequest, status: string, reason: string, condition: string): Promise<PlaybackCount[]> {
    const { where, params } = reportConditions(request, 'p', 'playbacks');
    const zone = `$${params.push(request.commune.timezone)}`;
    const rows = (await this.dataSource.query(
      `SELECT to_char(local_day, 'YYYY-MM-DD') AS "localDay", village_id AS "villageId", priority, schedule_id AS "scheduleId",
         program_version AS "programVersion", status, reason, count(*)::int AS playbacks
       FROM (SELECT (p.scheduled_at AT TIME ZONE ${zone})::date AS local_day, p.village_id, p.priority, p.schedule_id, p.program_version,
               ${status} AS status, ${reason} AS reason
             FROM playbacks p WHERE ${where} AND ${condition}) r
       GROUP BY GROUPING SETS ${SUMMARY_GROUPING_SETS}`,
      params,
    )) as PlaybackCount[];
    return rows.map((row) => ({ ...row, playbacks: Number(row.playbacks) }));
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

/** The broadcast log's query: every playback the report's filters keep, with its village, speaker, schedule, program and people. */
function asRunQuery(request: ReportRequest, after: KeysetCursor | null): { sql: string; params: unknown[] } {
  const { where, params } = reportConditions(request, 'p', 'playbacks');
  const zone = `$${params.push(request.commune.timezone)}`;
  const local = (column: string) => `to_char(${column} AT TIME ZONE ${zone}, 'YYYY-MM-DD HH24:MI:SS')`;
  const keyset = after ? ` AND (p.scheduled_at, p.id) > ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)` : '';
  const sql = `
    WITH program AS (
      SELECT sb.schedule_id, sb.version, string_agg(b.title, ' + ' ORDER BY sb.position) AS bulletins,
        string_agg(DISTINCT t.name, ', ') AS topics, sum(coalesce(b.duration_ms, b.original_duration_ms))::bigint AS program_ms
      FROM schedule_bulletins sb JOIN bulletins b ON b.id = sb.bulletin_id JOIN topics t ON t.id = b.topic_id
      WHERE sb.schedule_id IN (SELECT id FROM schedules WHERE commune_id = $1)
      GROUP BY sb.schedule_id, sb.version)
    SELECT p.id AS playback_id, p.scheduled_at, to_char((p.scheduled_at AT TIME ZONE ${zone})::date, 'YYYY-MM-DD') AS local_day,
      ${local('p.scheduled_at')} AS scheduled_local, ${local('p.started_at')} AS started_local, ${local('p.finished_at')} AS finished_local,
      p.village_id, v.name AS village_name, p.speaker_id, s.name AS speaker_name, p.schedule_id, sc.title AS schedule_title,
      pr.bulletins, pr.topics, pr.program_ms,
      CASE WHEN p.finished_at IS NOT NULL AND p.started_at IS NOT NULL
        THEN round(extract(epoch FROM p.finished_at - p.started_at) * 1000)::bigint END AS on_air_ms,
      p.priority, p.status, p.failure_code, p.failure_detail, p.evidence_level,
      ${local('p.confirmed_at')} AS confirmed_local, cu.display_name AS confirmed_by, p.confirmation_note,
      p.problem_kind, p.problem_note, ${local('p.problem_reported_at')} AS problem_local, pu.display_name AS problem_by
    FROM playbacks p
      JOIN villages v ON v.id = p.village_id
      JOIN speakers s ON s.id = p.speaker_id
      JOIN schedules sc ON sc.id = p.schedule_id
      LEFT JOIN program pr ON pr.schedule_id = p.schedule_id AND pr.version = p.program_version
      LEFT JOIN users cu ON cu.id = p.confirmed_by
      LEFT JOIN users pu ON pu.id = p.problem_reported_by
    WHERE ${where}${keyset}
    ORDER BY p.scheduled_at, p.id`;
  return { sql, params };
}
