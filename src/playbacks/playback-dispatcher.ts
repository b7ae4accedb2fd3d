import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { In, Repository } from 'typeorm';
import { Bulletin } from '../bulletins/bulletin.entity';
import { MediaLinks } from '../media-links/media-links.service';
import { ScheduleBulletin } from '../schedules/schedule-bulletin.entity';
import { Speaker } from '../speakers/speaker.entity';
import { SpeakerTargets } from '../speakers/speaker-targets';
import { DriverAudioCache } from '../speakers/drivers/driver-audio-cache';
import { DriverError } from '../speakers/drivers/driver-error';
import { DriverTarget, PlaybackAudio, PlaybackEvidence, PlaybackPriority, PlaybackRequest, SpeakerDriver } from '../speakers/drivers/speaker-driver';
import { evidenceRecord } from './playback-evidence';
import { Playback, PlaybackEvidenceRecord } from './playback.entity';
import { isTerminalPlayback, PlaybackStatus, playbackStatusesBefore } from './playback-status';
import { isPastGrace } from './planning';
import { mayPreempt } from './preemption';
import { Lease, SpeakerLeases } from './speaker-lease';

/** What a dispatch did with its job: done, skipped, or "try again at retryAt" (the speaker is busy). */
export type DispatchResult =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'missed' | 'played' | 'playing' | 'failed' | 'preempted'; playbackId: string }
  | { outcome: 'retry'; retryAt: number };

const BUSY_RETRY_MS = 1_000;
/** The lease outlives the program by this much, for the driver's connection and answer. */
const LEASE_SLACK_MS = 60_000;
/** How often a holder checks that its lease is still its own (an emergency may have taken it over). */
const LEASE_WATCH_MS = 250;
/** After pre-empting, how long the emergency waits for the device to let go of the interrupted transmit. */
const PREEMPT_SETTLE_MS = 5_000;
const PREEMPT_RETRY_MS = 100;
export const PREEMPTED_BY_EMERGENCY = 'preempted_by_emergency';

interface ProgramItem {
  bulletinId: string;
  audio: PlaybackAudio;
}

/**
 * Plays one playback at its instant: skips it when terminal, misses it past its grace, commits the attempt
 * (status `dispatching`, attempts + 1) before calling the driver, then records lateness, evidence and outcome.
 * Every later write is guarded by the attempt number, so an older attempt can never record over a newer one.
 */
@Injectable()
export class PlaybackDispatcher {
  private readonly logger = new Logger(PlaybackDispatcher.name);

  constructor(
    @InjectRepository(Playback) private readonly playbacks: Repository<Playback>,
    @InjectRepository(ScheduleBulletin) private readonly items: Repository<ScheduleBulletin>,
    @InjectRepository(Bulletin) private readonly bulletins: Repository<Bulletin>,
    @InjectRepository(Speaker) private readonly speakers: Repository<Speaker>,
    private readonly targets: SpeakerTargets,
    private readonly audioCache: DriverAudioCache,
    private readonly mediaLinks: MediaLinks,
  ) {}

  async dispatch(playbackId: string, leases: SpeakerLeases, signal: AbortSignal): Promise<DispatchResult> {
    const playback = await this.playbacks.findOneBy({ id: playbackId });
    if (!playback) return { outcome: 'skipped', reason: 'no such playback' };
    if (isTerminalPlayback(playback.status)) return { outcome: 'skipped', reason: `already ${playback.status}` };
    // A playback already on air (a manual cluster awaiting its operator, or a retried job) is never started again.
    if (playback.status === PlaybackStatus.Playing) return { outcome: 'skipped', reason: 'already on air' };
    if (isPastGrace(playback.graceUntil, new Date())) return this.miss(playback, 'late');

    const speaker = await this.speakers.findOneBy({ id: playback.speakerId });
    if (!speaker?.enabled) return this.failBeforeAttempt(playback, 'speaker_unavailable: the speaker was disabled or removed');
    const { driver, target } = this.targets.resolve(speaker);
    // Audio is made ready before the instant: an ffmpeg run must not make the speaker late.
    let program: ProgramItem[];
    try {
      program = await this.program(playback.scheduleId, driver.audioFormat, driver.name === 'http-gateway');
    } catch (error) {
      return this.failBeforeAttempt(playback, `audio_unavailable: ${(error as Error).message}`);
    }
    const programMs = program.reduce((sum, item) => sum + item.audio.durationMs, 0);

    const waitMs = playback.scheduledAt.getTime() - Date.now();
    if (waitMs > 0) await sleep(waitMs, undefined, { signal });
    let lease = await leases.acquire(speaker.id, playback.id, playback.priority, programMs + LEASE_SLACK_MS);
    let preempted: string | null = null;
    if (!lease) {
      // An emergency takes the speaker from a lower priority at once; anything else waits within its grace.
      const holder = await leases.holder(speaker.id);
      if (holder && mayPreempt(playback.priority, holder.priority)) {
        lease = await leases.takeOver(speaker.id, holder, playback.id, playback.priority, programMs + LEASE_SLACK_MS);
        if (lease) {
          preempted = holder.playbackId;
          await this.preempt(holder.playbackId, driver, target);
        }
      }
    }
    if (!lease) {
      if (isPastGrace(playback.graceUntil, new Date(Date.now() + BUSY_RETRY_MS))) return this.miss(playback, 'speaker_busy');
      return { outcome: 'retry', retryAt: Date.now() + BUSY_RETRY_MS };
    }
    const held = lease;
    // The holder watches its lease: once an emergency took it over, the transmit is dropped (also across processes).
    const lost = new AbortController();
    const watch = setInterval(() => {
      leases.holds(speaker.id, held).then(
        (mine) => { if (!mine) lost.abort(new Error('the speaker was taken over by an emergency broadcast')); },
        (error: unknown) => this.logger.warn({ err: error, playbackId: playback.id }, 'Could not check the speaker lease'),
      );
    }, LEASE_WATCH_MS);
    watch.unref();
    const playSignal = AbortSignal.any([signal, lost.signal]);
    try {
      const attempt = await this.commitAttempt(playback.id);
      if (attempt === null) return { outcome: 'skipped', reason: 'changed before the attempt (cancelled or missed)' };
      const played: Array<{ bulletinId: string; evidence: PlaybackEvidence }> = [];
      try {
        if (!(await leases.holds(speaker.id, held))) lost.abort(new Error('the speaker was taken over by an emergency broadcast'));
        playSignal.throwIfAborted();
        for (const [index, item] of program.entries()) {
          if (index === 0) await this.recordLateness(playback, attempt, Date.now());
          const request = { playbackId: playback.id, priority: playback.priority as PlaybackPriority, audio: item.audio, signal: playSignal };
          const evidence = index === 0 && preempted ? await this.playAfterPreempting(driver, target, request) : await driver.play(target, request);
          played.push({ bulletinId: item.bulletinId, evidence });
        }
      } catch (error) {
        const failed = error instanceof DriverError && error.evidence ? [...played, { bulletinId: program[played.length].bulletinId, evidence: error.evidence }] : played;
        if (lost.signal.aborted || (await this.isPreempted(playback.id, attempt))) {
          await this.recordPreempted(playback.id, attempt, evidenceRecord(failed));
          this.logger.warn({ playbackId: playback.id }, 'Playback pre-empted by an emergency broadcast');
          return { outcome: 'preempted', playbackId: playback.id };
        }
        const reason = error instanceof DriverError ? `${error.kind}: ${error.message}` : `interrupted: ${(error as Error).message}`;
        await this.finish(playback.id, attempt, PlaybackStatus.Failed, { failureReason: reason, evidence: evidenceRecord(failed), finishedAt: new Date() });
        this.logger.warn({ playbackId: playback.id, reason }, 'Playback failed');
        return { outcome: 'failed', playbackId: playback.id };
      }
      // A manual cluster was only shown to its operator: it stays on air until the operator confirms it.
      const status = driver.name === 'manual' ? PlaybackStatus.Playing : PlaybackStatus.Played;
      // Guarded by the attempt and the state machine: a pre-empted playback (terminal) is never recorded played.
      await this.finish(playback.id, attempt, status, { evidence: evidenceRecord(played), finishedAt: status === PlaybackStatus.Played ? new Date() : null });
      return { outcome: status === PlaybackStatus.Played ? 'played' : 'playing', playbackId: playback.id };
    } finally {
      clearInterval(watch);
      await leases.release(speaker.id, held);
    }
  }

  /** Records the holder pre-empted (if it is still on air) and stops its transmit through the driver. */
  private async preempt(holderId: string, driver: SpeakerDriver, target: DriverTarget): Promise<void> {
    if (holderId) {
      await this.playbacks.query(
        `UPDATE playbacks SET status = 'preempted', failure_reason = $2, finished_at = now(), updated_at = now()
          WHERE id = $1 AND status = ANY($3)`,
        [holderId, PREEMPTED_BY_EMERGENCY, playbackStatusesBefore(PlaybackStatus.Preempted)],
      );
    }
    // Drops the transmit when the holder plays from this process; a holder in another process sees its lease
    // taken over within LEASE_WATCH_MS and drops it itself.
    if (holderId) await driver.stop(target, holderId).catch((error: unknown) => this.logger.warn({ err: error, holderId }, 'Could not stop the pre-empted playback'));
    this.logger.warn({ holderId }, 'Emergency broadcast pre-empted a playback');
  }

  /** The device may still be letting go of the interrupted transmit: a "busy" answer is tried again briefly. */
  private async playAfterPreempting(driver: SpeakerDriver, target: DriverTarget, request: PlaybackRequest): Promise<PlaybackEvidence> {
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

  private async isPreempted(id: string, attempt: number): Promise<boolean> {
    return (await this.playbacks.countBy({ id, attempts: attempt, status: PlaybackStatus.Preempted })) > 0;
  }

  /** `preempted` with the evidence the holder gathered, guarded by its attempt (the emergency may have set the status already). */
  private async recordPreempted(id: string, attempt: number, evidence: PlaybackEvidenceRecord): Promise<void> {
    await this.playbacks.query(
      `UPDATE playbacks SET status = 'preempted', failure_reason = COALESCE(failure_reason, $3), evidence = $4,
              finished_at = COALESCE(finished_at, now()), updated_at = now()
        WHERE id = $1 AND attempts = $2 AND status = ANY($5)`,
      [id, attempt, PREEMPTED_BY_EMERGENCY, JSON.stringify(evidence), [...playbackStatusesBefore(PlaybackStatus.Preempted), PlaybackStatus.Preempted]],
    );
  }

  /** The schedule's bulletins in order, each as the driver's audio. */
  private async program(scheduleId: string, format: 'mulaw' | 'mp3' | null, withUrl: boolean): Promise<ProgramItem[]> {
    const items = await this.items.find({ where: { scheduleId }, order: { position: 'ASC' } });
    const bulletins = await this.bulletins.findBy({ id: In(items.map((item) => item.bulletinId)) });
    return Promise.all(
      items.map(async ({ bulletinId }) => {
        const bulletin = bulletins.find((candidate) => candidate.id === bulletinId);
        if (!bulletin?.renditionSha256 || !bulletin.durationMs) throw new Error(`Bulletin ${bulletinId} has no rendition to play`);
        const sha256 = bulletin.renditionSha256;
        return {
          bulletinId,
          audio: {
            path: await this.audioCache.pathFor(sha256, format ?? 'mp3'),
            sha256,
            durationMs: bulletin.durationMs,
            ...(withUrl ? { url: this.mediaLinks.urlFor(sha256, 'mp3') } : {}),
          },
        };
      }),
    );
  }

  /** status `dispatching`, attempts + 1, committed before the driver is called; null when the playback moved on. */
  private async commitAttempt(id: string): Promise<number | null> {
    const [rows] = (await this.playbacks.query(
      `UPDATE playbacks SET status = 'dispatching', attempts = attempts + 1, started_at = now(), updated_at = now()
        WHERE id = $1 AND status = ANY($2) RETURNING attempts`,
      [id, playbackStatusesBefore(PlaybackStatus.Dispatching)],
    )) as [Array<{ attempts: number }>, number];
    return rows.length ? rows[0].attempts : null;
  }

  private async recordLateness(playback: Playback, attempt: number, calledAt: number): Promise<void> {
    await this.playbacks.update({ id: playback.id, attempts: attempt }, { latenessMs: calledAt - playback.scheduledAt.getTime() });
  }

  private async finish(id: string, attempt: number, status: PlaybackStatus, fields: Partial<Pick<Playback, 'failureReason' | 'evidence' | 'finishedAt'>>): Promise<void> {
    await this.playbacks.update({ id, attempts: attempt, status: In(playbackStatusesBefore(status)) }, { status, ...fields });
  }

  private async miss(playback: Playback, reason: string): Promise<DispatchResult> {
    await this.playbacks.update(
      { id: playback.id, status: In(playbackStatusesBefore(PlaybackStatus.Missed)) },
      { status: PlaybackStatus.Missed, failureReason: reason, finishedAt: new Date() },
    );
    this.logger.warn({ playbackId: playback.id, scheduledAt: playback.scheduledAt, reason }, 'Playback missed');
    return { outcome: 'missed', playbackId: playback.id };
  }

  private async failBeforeAttempt(playback: Playback, reason: string): Promise<DispatchResult> {
    await this.playbacks.update(
      { id: playback.id, status: In([PlaybackStatus.Planned, PlaybackStatus.Queued]) },
      { status: PlaybackStatus.Failed, failureReason: reason, finishedAt: new Date() },
    );
    return { outcome: 'failed', playbackId: playback.id };
  }
}
