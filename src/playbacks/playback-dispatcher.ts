import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DispatchMetrics } from '../metrics/dispatch-metrics';
import { SpeakerTargets } from '../speakers/speaker-targets';
import { DriverError } from '../speakers/drivers/driver-error';
import { DriverTarget, ItemEvidence, PlaybackPriority, PlaybackRequest, SpeakerDriver } from '../speakers/drivers/speaker-driver';
import { AirtimeRecorder } from './dispatch/airtime-recorder';
import { InstantClock, preciseNow } from './dispatch/instant-clock';
import { Holding, LeaseWatch } from './dispatch/lease-watch';
import { PlaybackWrites, SlotPlayback } from './dispatch/playback-writes';
import { ApprovalCheck, ProgramApproval } from './dispatch/program-approval';
import { audioNeedKey, ProgramAudio, ProgramItem, programMs } from './dispatch/program-audio';
import { isTransient, retryDelayMs } from './dispatch/transient-errors';
import { evidenceRecord } from './playback-evidence';
import { failureEvidence, PlaybackFailure, playbackFailure } from './playback-failure';
import { PlaybackStatus } from './playback-status';
import { VillageSlot } from './planning';
import { mayPreempt } from './preemption';
import { Lease, SpeakerLeases } from './speaker-lease';

/** What a village job did with its playbacks; `abandoned` ones were left for another worker (shutdown). */
export interface VillageReport {
  playbacks: number;
  released: number;
  outcomes: Record<string, number>;
  abandoned: number;
}

type SeatOutcome = 'played' | 'playing' | 'failed' | 'missed' | 'preempted' | 'skipped' | 'abandoned';

const BUSY_RETRY_MS = 1_000;
/** The lease outlives the program by this much, for the driver's connection and answer. */
const LEASE_SLACK_MS = 60_000;
/** After pre-empting, how long the emergency waits for the device to let go of the interrupted transmit. */
const PREEMPT_SETTLE_MS = 5_000;
const PREEMPT_RETRY_MS = 100;

/** One speaker's playback with everything needed to call its driver on the instant. */
interface Seat {
  playback: SlotPlayback;
  driver: SpeakerDriver;
  target: DriverTarget;
  program: ProgramItem[];
  programMs: number;
}

/** An attempt made ready ahead of its call. */
interface Ready {
  holding: Holding;
  request: PlaybackRequest;
}

/** A driver call made (or skipped: its lease was lost before the instant): when, and its answer (never rejecting). */
interface Called {
  calledAt: number;
  called: boolean;
  answer: Promise<{ items: ItemEvidence[] } | { error: unknown }>;
}

/** An attempt on air: when its first driver call was made, its lease's watch, and how it ended. */
interface Started {
  calledAt: number;
  called: boolean;
  /** Its lease's watch: `lost` once taken over (an emergency) or revoked (a stop). */
  holding: Holding;
  ended: Promise<AttemptEnd>;
}

type AttemptEnd = { kind: 'finished'; played: ItemEvidence[] } | { kind: 'error'; error: unknown; played: ItemEvidence[] };

/**
 * Plays one village's playbacks of one occurrence, staged ahead and released together on the instant:
 *
 *  before the instant (the job arrives DISPATCH_LEAD_MS early): load the slot's playbacks, miss those past their grace,
 *  resolve speakers, drivers and the program's audio, take the free speakers' leases in one Redis round trip and commit
 *  their attempts (status `dispatching`, attempts + 1) in one statement;
 *  on the instant: call every staged speaker's driver in one burst, then record the calls' lateness in one statement;
 *  after: each outcome is written guarded by its attempt (batched), and appended to the airtime ledger.
 *
 * A speaker that was busy when staged, and every retry, takes the careful path on its own: lease (an emergency takes
 * it over from a lower priority), attempt, driver call, until the misfire grace runs out.
 */
@Injectable()
export class PlaybackDispatcher {
  private readonly logger = new Logger(PlaybackDispatcher.name);
  private readonly clock = new InstantClock();

  constructor(
    private readonly writes: PlaybackWrites,
    private readonly targets: SpeakerTargets,
    private readonly programs: ProgramAudio,
    private readonly metrics: DispatchMetrics,
    private readonly airtime: AirtimeRecorder,
    private readonly approval: ProgramApproval,
  ) {}

  /**
   * `watch` is the worker's: it watches the leases of all its villages. `staged` is called once the village's speakers
   * are staged, as it starts to wait for its instant.
   */
  async dispatchVillage(
    slot: VillageSlot,
    leases: SpeakerLeases,
    watch: LeaseWatch,
    signal: AbortSignal,
    staged: () => void = () => undefined,
  ): Promise<VillageReport> {
    const report: VillageReport = { playbacks: 0, released: 0, outcomes: {}, abandoned: 0 };
    const count = (outcome: SeatOutcome, priority: string): void => {
      report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
      if (outcome === 'abandoned') report.abandoned++;
      else if (outcome !== 'skipped') this.metrics.outcomes.inc({ outcome, priority });
    };
    const rows = await this.writes.load(slot);
    report.playbacks = rows.length;
    if (rows.length === 0) return report;

    const now = new Date();
    const [late, live] = partition(rows, (row) => now.getTime() > row.graceUntil.getTime());
    await this.missAll(
      late.filter((row) => row.status !== PlaybackStatus.Dispatching),
      playbackFailure('late'),
      count,
    );
    // An attempt whose worker died (the job stalled and came back) and whose grace ran out meanwhile.
    await this.missAll(
      late.filter((row) => row.status === PlaybackStatus.Dispatching),
      playbackFailure('worker_lost', 'the attempt was interrupted and the grace ran out before another'),
      count,
    );
    const resolved = await this.seats(slot, live, count);
    if (resolved.length === 0) return report;
    // Approval holds until the speaker: a program naming a bulletin rejected or archived since is not staged, and
    // is read again just before the instant. A taken-back attempt is checked on the careful path (contend).
    const approval = await this.approval.check(resolved.map((seat) => seat.program));
    const [seats, withdrawn] = partition(resolved, (seat) => approval.cleared(seat.program) || seat.playback.status === PlaybackStatus.Dispatching);
    for (const seat of withdrawn) await this.failAll([seat.playback], approval.failure(seat.program), count);
    if (seats.length === 0) return report;
    approval.recheckBefore(slot.scheduledAt.getTime());

    try {
      const instant = slot.scheduledAt.getTime();
      // Fresh playbacks on free speakers are staged; a busy speaker, or an attempt taken back from a dead worker,
      // goes the careful way at the instant.
      const [fresh, retaken] = partition(seats, (seat) => seat.playback.status !== PlaybackStatus.Dispatching);
      const ready = (await this.stage(fresh, leases, instant)).map((entry) => ({ ...entry, ready: this.ready(entry.seat, entry.lease, watch) }));
      const contended = [...retaken, ...fresh.filter((seat) => !ready.some((s) => s.seat === seat))];
      this.metrics.stagedAhead.observe((instant - preciseNow()) / 1000);
      staged();

      try {
        await this.clock.at(instant, signal);
      } catch {
        // Shut down before the instant: nothing was called, the leases go back and another worker takes the job.
        await Promise.all(ready.map(({ seat, lease }) => leases.release(seat.playback.speakerId, lease)));
        for (const seat of seats) count('abandoned', seat.playback.priority);
        return report;
      }

      // The release: every staged driver is called in this loop, before any await. Everything else waits for the
      // next turn of the event loop, after the other villages of this instant had their burst too. A program no
      // longer approved at the last read is not sent.
      const [sent, refused] = partition(ready, (entry) => approval.cleared(entry.seat.program));
      const calls = new Array<Called>(sent.length);
      for (let index = 0; index < sent.length; index++) calls[index] = this.call(sent[index].seat, sent[index].ready, false);
      report.released = sent.length;
      this.metrics.onAir.inc(sent.length);
      await nextTurn();
      const runs = sent.map(({ seat, attempt, lease, ready }, index) => ({ seat, attempt, lease, started: this.follow(seat, ready, calls[index], watch) }));
      this.afterRelease(runs.map(({ seat, attempt, started }) => ({ seat, attempt, calledAt: started.calledAt })));
      const contending = contended.map((seat) => this.contend(seat, leases, watch, signal));
      const refusing = refused.map((entry) => this.refuse(entry, approval, leases, watch));

      const outcomes = await Promise.all([
        ...runs.map(({ seat, attempt, lease, started }) => this.settleStaged(seat, attempt, lease, started, leases, watch, signal)),
        ...contending,
        ...refusing,
      ]);
      const settled = [...runs.map((run) => run.seat), ...contended, ...refused.map((entry) => entry.seat)];
      outcomes.forEach((outcome, index) => count(outcome, settled[index].playback.priority));
      return report;
    } finally {
      for (const seat of seats) watch.remove(seat.playback.id);
    }
  }

  /** Lateness, started_at and evidence `commanded` for the burst, then the ledger's `commanded` entries: all after the calls. */
  private afterRelease(calls: Array<{ seat: Seat; attempt: number; calledAt: number }>): void {
    if (calls.length === 0) return;
    const times = calls.map((call) => call.calledAt);
    this.metrics.villageSpread.observe((Math.max(...times) - Math.min(...times)) / 1000);
    void this.recordCalls(calls);
  }

  private async recordCalls(calls: Array<{ seat: Seat; attempt: number; calledAt: number }>): Promise<void> {
    for (const { seat, calledAt } of calls) {
      this.metrics.lateness.observe({ priority: seat.playback.priority }, Math.max(0, calledAt - seat.playback.scheduledAt.getTime()) / 1000);
      this.airtime.record(seat.playback, {
        event: 'commanded',
        occurredAt: new Date(calledAt),
        actualAt: new Date(calledAt),
        audioSha256: seat.program[0]?.audio.sha256 ?? null,
        evidenceLevel: 'commanded',
        evidence: { program: seat.program.map((item) => ({ bulletinId: item.bulletinId, sha256: item.audio.sha256, durationMs: item.audio.durationMs })) },
      });
    }
    await this.writes
      .recordCalls(calls.map(({ seat, attempt, calledAt }) => ({ id: seat.playback.id, attempt, calledAt, scheduledAt: seat.playback.scheduledAt })))
      .catch((error: unknown) => this.logger.error({ err: error, playbacks: calls.length }, 'Could not record the lateness of the driver calls'));
  }

  /** Speakers, drivers and the program's audio for each live playback; those that cannot play fail before any attempt. */
  private async seats(slot: VillageSlot, live: SlotPlayback[], count: (outcome: SeatOutcome, priority: string) => void): Promise<Seat[]> {
    if (live.length === 0) return [];
    const resolved: Array<{ playback: SlotPlayback; driver: SpeakerDriver; target: DriverTarget }> = [];
    const unavailable: SlotPlayback[] = [];
    for (const playback of live) {
      if (!playback.speaker?.enabled) unavailable.push(playback);
      else resolved.push({ playback, ...this.targets.resolve(playback.speaker) });
    }
    await this.failAll(unavailable, playbackFailure('speaker_unavailable', 'the speaker was disabled or removed'), count);
    if (resolved.length === 0) return [];
    // Audio is made ready before the instant, once per format: an ffmpeg run must not make a speaker late.
    const needs = resolved.map(({ driver }) => ({ format: driver.audioFormat, withUrl: driver.name === 'http-gateway' }));
    // Each playback plays the program version it names (one, unless the program was edited between two stagings).
    const programs = new Map<number, Map<string, ProgramItem[]>>();
    try {
      for (const version of new Set(resolved.map(({ playback }) => playback.programVersion))) {
        programs.set(version, await this.programs.prepare({ scheduleId: slot.scheduleId, version }, slot.scheduledAt, needs));
      }
    } catch (error) {
      await this.failAll(
        resolved.map((seat) => seat.playback),
        playbackFailure('audio_unavailable', (error as Error).message),
        count,
      );
      return [];
    }
    return resolved.map((seat, index) => {
      const program = programs.get(seat.playback.programVersion)!.get(audioNeedKey(needs[index]))!;
      return { ...seat, program, programMs: programMs(program) };
    });
  }

  /** Leases for the free speakers in one round trip, then their attempts in one statement: all before the instant. */
  private async stage(fresh: Seat[], leases: SpeakerLeases, instant: number): Promise<Array<{ seat: Seat; lease: Lease; attempt: number }>> {
    const granted: Array<{ seat: Seat; lease: Lease }> = [];
    const byPriority = new Map<string, Seat[]>();
    for (const seat of fresh) byPriority.set(seat.playback.priority, [...(byPriority.get(seat.playback.priority) ?? []), seat]);
    for (const [priority, seats] of byPriority) {
      const ttlMs = Math.max(...seats.map((seat) => seat.programMs)) + LEASE_SLACK_MS + Math.max(0, instant - Date.now());
      const leased = await leases.acquireMany(
        seats.map((seat) => ({ speakerId: seat.playback.speakerId, playbackId: seat.playback.id })),
        priority,
        ttlMs,
      );
      for (const seat of seats) {
        const lease = leased.get(seat.playback.speakerId);
        if (lease) granted.push({ seat, lease });
      }
    }
    const attempts = await this.writes.commitAttempts(granted.map(({ seat }) => seat.playback.id));
    const staged: Array<{ seat: Seat; lease: Lease; attempt: number }> = [];
    for (const { seat, lease } of granted) {
      const attempt = attempts.get(seat.playback.id);
      // Moved on meanwhile (cancelled, stopped, missed by the planner): its speaker is free again.
      if (attempt === undefined) await leases.release(seat.playback.speakerId, lease);
      else staged.push({ seat, lease, attempt });
    }
    return staged;
  }

  /**
   * Everything an attempt needs before its driver call, made ahead (at staging for a staged speaker): its lease
   * watched, its request built. The instant then costs a clock read and the driver call, nothing else.
   */
  private ready(seat: Seat, lease: Lease, watch: LeaseWatch): Ready {
    const holding = watch.add(seat.playback.id, seat.playback.speakerId, lease);
    const request = { playbackId: seat.playback.id, priority: seat.playback.priority as PlaybackPriority, program: seat.program, signal: holding.signal };
    return { holding, request };
  }

  /** Calls the driver with the whole program, synchronously: a loop of `call`s is a burst of driver calls. */
  private call(seat: Seat, ready: Ready, afterPreempting: boolean): Called {
    const calledAt = preciseNow();
    const { signal } = ready.holding;
    const called = !signal.aborted;
    const answer = !called
      ? Promise.reject(signal.reason as Error)
      : afterPreempting
        ? this.playAfterPreempting(seat.driver, seat.target, ready.request)
        : seat.driver.play(seat.target, ready.request);
    // Settled into a value at once, so that a rejection is never unhandled while the burst goes on.
    return { calledAt, called, answer: answer.then(asAnswer, asFailure) };
  }

  /** Waits for the driver's answer, with one piece of evidence per program item, and lets the lease's watch go. */
  private follow(seat: Seat, ready: Ready, called: Called, watch: LeaseWatch): Started {
    const ended = (async (): Promise<AttemptEnd> => {
      try {
        const answer = await called.answer;
        if ('error' in answer) {
          const { error } = answer;
          return { kind: 'error', error, played: error instanceof DriverError ? (error.evidence ?? []) : [] };
        }
        return { kind: 'finished', played: answer.items };
      } finally {
        this.metrics.onAir.dec();
        watch.remove(seat.playback.id);
      }
    })();
    return { calledAt: called.calledAt, called: called.called, holding: ready.holding, ended };
  }

  /** A staged attempt's end; a transient error sends the playback down the careful path until its grace runs out. */
  private async settleStaged(
    seat: Seat,
    attempt: number,
    lease: Lease,
    started: Started,
    leases: SpeakerLeases,
    watch: LeaseWatch,
    signal: AbortSignal,
  ): Promise<SeatOutcome> {
    const end = await started.ended;
    const settled = await this.settle(seat, attempt, lease, started, end, leases, signal, 0);
    if (settled !== 'retry') return settled;
    this.metrics.retries.inc({ kind: (end as { error: DriverError }).error.kind });
    await sleep(retryDelayMs(1, seat.playback.graceUntil.getTime() - Date.now()), undefined, { signal }).catch(() => undefined);
    return this.contend(seat, leases, watch, signal, { attempt, error: (end as { error: DriverError }).error, retries: 1 });
  }

  /**
   * Records an attempt's end (guarded by the attempt) and lets the speaker go; `retry` when the driver's error was
   * transient, nothing was sent, and the grace leaves room for another attempt.
   */
  private async settle(
    seat: Seat,
    attempt: number,
    lease: Lease,
    started: Started,
    end: AttemptEnd,
    leases: SpeakerLeases,
    signal: AbortSignal,
    retries: number,
  ): Promise<SeatOutcome | 'retry'> {
    const { calledAt } = started;
    try {
      const id = seat.playback.id;
      if (end.kind === 'finished') {
        // A manual cluster was only shown to its operator: it stays on air until the operator confirms it.
        const status = seat.driver.name === 'manual' ? PlaybackStatus.Playing : PlaybackStatus.Played;
        const evidence = evidenceRecord(end.played);
        await this.writes.finish({ id, attempt, status, failure: null, evidence, finishedAt: status === PlaybackStatus.Played ? new Date() : null });
        this.airtime.recordEvidence(seat.playback, evidence, new Date(calledAt));
        return status === PlaybackStatus.Played ? 'played' : 'playing';
      }
      const evidence = evidenceRecord(end.played);
      if (started.holding.lost || (await this.writes.isPreempted(id, attempt))) {
        const reason = await this.writes.recordPreempted(id, attempt, 'preempted_by_emergency', evidence);
        // A take-over before the instant (a stop) means nothing went out; otherwise the audio was on air until cut.
        const aired = started.called;
        this.airtime.record(seat.playback, {
          event: 'preempted',
          occurredAt: new Date(),
          actualAt: aired ? new Date(calledAt) : null,
          evidenceLevel: aired ? 'commanded' : null,
          evidence: { reason },
        });
        this.logger.warn({ playbackId: id }, 'Playback pre-empted by an emergency broadcast');
        return 'preempted';
      }
      const error = end.error;
      if (end.played.length === 0 && isTransient(error) && !signal.aborted && retryDelayMs(retries + 1, seat.playback.graceUntil.getTime() - Date.now()) > 0)
        return 'retry';
      const failure =
        error instanceof DriverError
          ? playbackFailure(error.kind, `${error.message}${retries > 0 ? ` (after ${retries + 1} attempts, until the misfire grace)` : ''}`)
          : playbackFailure('interrupted', (error as Error).message);
      await this.writes.finish({ id, attempt, status: PlaybackStatus.Failed, failure, evidence, finishedAt: new Date() });
      this.airtime.record(seat.playback, {
        event: 'failed',
        occurredAt: new Date(),
        actualAt: end.played.length ? new Date(calledAt) : null,
        evidenceLevel: end.played.length ? 'commanded' : null,
        evidence: failureEvidence(failure),
      });
      this.logger.warn({ playbackId: id, reason: failure.code, detail: failure.detail }, 'Playback failed');
      return 'failed';
    } finally {
      await leases.release(seat.playback.speakerId, lease);
    }
  }

  /**
   * The careful path, one speaker at a time: lease (an emergency takes it from a lower priority), attempt committed,
   * driver called; a busy speaker is waited for and a transient error retried with backoff, both within the grace.
   */
  private async contend(
    seat: Seat,
    leases: SpeakerLeases,
    watch: LeaseWatch,
    signal: AbortSignal,
    previous?: { attempt: number; error: DriverError; retries: number },
  ): Promise<SeatOutcome> {
    let last = previous;
    const { playback } = seat;
    for (;;) {
      if (signal.aborted) return 'abandoned';
      if (Date.now() > playback.graceUntil.getTime()) {
        if (last) {
          const failure = playbackFailure(last.error.kind, `${last.error.message} (after ${last.retries} attempts, until the misfire grace)`);
          await this.writes.finish({ id: playback.id, attempt: last.attempt, status: PlaybackStatus.Failed, failure, evidence: null, finishedAt: new Date() });
          this.airtime.record(playback, { event: 'failed', occurredAt: new Date(), evidence: failureEvidence(failure) });
          return 'failed';
        }
        return (await this.missAll([playback], playbackFailure('speaker_busy'))) ? 'missed' : 'skipped';
      }
      const ttlMs = seat.programMs + LEASE_SLACK_MS;
      let lease = await leases.acquire(playback.speakerId, playback.id, playback.priority, ttlMs);
      let preempting = false;
      if (!lease) {
        const holder = await leases.holder(playback.speakerId);
        if (holder && mayPreempt(playback.priority, holder.priority)) {
          lease = await leases.takeOver(playback.speakerId, holder, playback.id, playback.priority, ttlMs);
          if (lease) {
            preempting = true;
            await this.preempt(holder.playbackId, seat);
          }
        }
      }
      if (!lease) {
        await sleep(BUSY_RETRY_MS, undefined, { signal }).catch(() => undefined);
        continue;
      }
      const attempt = (await this.writes.commitAttempts([playback.id])).get(playback.id);
      if (attempt === undefined) {
        await leases.release(playback.speakerId, lease);
        return 'skipped';
      }
      const approval = await this.approval.check([seat.program]);
      if (!approval.cleared(seat.program)) return this.refuse({ seat, lease, attempt }, approval, leases, watch);
      const ready = this.ready(seat, lease, watch);
      const started = this.follow(seat, ready, this.call(seat, ready, preempting), watch);
      this.metrics.onAir.inc();
      void this.recordCalls([{ seat, attempt, calledAt: started.calledAt }]);
      const end = await started.ended;
      const retries = last?.retries ?? 0;
      const settled = await this.settle(seat, attempt, lease, started, end, leases, signal, retries);
      if (settled !== 'retry') return settled;
      const error = (end as { error: DriverError }).error;
      this.metrics.retries.inc({ kind: error.kind });
      last = { attempt, error, retries: retries + 1 };
      await sleep(retryDelayMs(retries + 1, playback.graceUntil.getTime() - Date.now()), undefined, { signal }).catch(() => undefined);
    }
  }

  /** An attempt whose program is no longer approved: `failed` (`bulletin_withdrawn`) with nothing sent, its speaker let go. */
  private async refuse(
    entry: { seat: Seat; lease: Lease; attempt: number },
    approval: ApprovalCheck,
    leases: SpeakerLeases,
    watch: LeaseWatch,
  ): Promise<SeatOutcome> {
    const { seat, lease, attempt } = entry;
    watch.remove(seat.playback.id);
    try {
      const failure = approval.failure(seat.program);
      await this.writes.finish({ id: seat.playback.id, attempt, status: PlaybackStatus.Failed, failure, evidence: null, finishedAt: new Date() });
      this.airtime.record(seat.playback, { event: 'failed', occurredAt: new Date(), evidence: failureEvidence(failure) });
      this.logger.warn({ playbackId: seat.playback.id, detail: failure.detail }, 'Playback not sent: its program is no longer approved');
      return 'failed';
    } finally {
      await leases.release(seat.playback.speakerId, lease);
    }
  }

  /** Records the holder pre-empted (if it is still on air) and stops its transmit through the driver. */
  private async preempt(holderId: string, seat: Seat): Promise<void> {
    if (!holderId) return;
    await this.writes.preempt(holderId, 'preempted_by_emergency');
    // Drops the transmit when the holder plays from this process; a holder in another process sees its lease
    // taken over within LEASE_WATCH_MS and drops it itself.
    await seat.driver.stop(seat.target, holderId).catch((error: unknown) => this.logger.warn({ err: error, holderId }, 'Could not stop the pre-empted playback'));
    this.logger.warn({ holderId, by: seat.playback.id }, 'Emergency broadcast pre-empted a playback');
  }

  /** The device may still be letting go of the interrupted transmit: a "busy" answer is tried again briefly. */
  private async playAfterPreempting(driver: SpeakerDriver, target: DriverTarget, request: PlaybackRequest): Promise<ItemEvidence[]> {
    const deadline = Date.now() + PREEMPT_SETTLE_MS;
    for (;;) {
      try {
        return await driver.play(target, request);
      } catch (error) {
        if (!(error instanceof DriverError && error.kind === 'busy') || Date.now() + PREEMPT_RETRY_MS > deadline) throw error;
        await sleep(PREEMPT_RETRY_MS, undefined, { signal: request.signal });
      }
    }
  }

  private async missAll(rows: SlotPlayback[], failure: PlaybackFailure, count?: (outcome: SeatOutcome, priority: string) => void): Promise<number> {
    const missed = new Set(
      await this.writes.miss(
        rows.map((row) => row.id),
        failure,
      ),
    );
    for (const row of rows.filter((candidate) => missed.has(candidate.id))) {
      count?.('missed', row.priority);
      this.airtime.record(row, { event: 'missed', occurredAt: new Date(), evidence: failureEvidence(failure) });
      this.logger.warn({ playbackId: row.id, scheduledAt: row.scheduledAt, reason: failure.code, detail: failure.detail }, 'Playback missed');
    }
    return missed.size;
  }

  private async failAll(rows: SlotPlayback[], failure: PlaybackFailure, count: (outcome: SeatOutcome, priority: string) => void): Promise<void> {
    const failed = new Set(
      await this.writes.failBeforeAttempt(
        rows.map((row) => row.id),
        failure,
      ),
    );
    for (const row of rows.filter((candidate) => failed.has(candidate.id))) {
      count('failed', row.priority);
      this.airtime.record(row, { event: 'failed', occurredAt: new Date(), evidence: failureEvidence(failure) });
    }
  }
}

// Module-level, so that settling a burst's first calls allocates no closure per speaker.
function asAnswer(items: ItemEvidence[]): { items: ItemEvidence[] } {
  return { items };
}

function asFailure(error: unknown): { error: unknown } {
  return { error };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
