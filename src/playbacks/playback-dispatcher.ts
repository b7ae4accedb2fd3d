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
import { PlaybackAudio, PlaybackEvidence, PlaybackPriority } from '../speakers/drivers/speaker-driver';
import { evidenceRecord } from './playback-evidence';
import { Playback } from './playback.entity';
import { isTerminalPlayback, PlaybackStatus, playbackStatusesBefore } from './playback-status';
import { isPastGrace } from './planning';
import { SpeakerLeases } from './speaker-lease';

/** What a dispatch did with its job: done, skipped, or "try again at retryAt" (the speaker is busy). */
export type DispatchResult =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'missed' | 'played' | 'playing' | 'failed'; playbackId: string }
  | { outcome: 'retry'; retryAt: number };

const BUSY_RETRY_MS = 1_000;
/** The lease outlives the program by this much, for the driver's connection and answer. */
const LEASE_SLACK_MS = 60_000;

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
    const token = await leases.acquire(speaker.id, programMs + LEASE_SLACK_MS);
    if (!token) {
      if (isPastGrace(playback.graceUntil, new Date(Date.now() + BUSY_RETRY_MS))) return this.miss(playback, 'speaker_busy');
      return { outcome: 'retry', retryAt: Date.now() + BUSY_RETRY_MS };
    }
    try {
      const attempt = await this.commitAttempt(playback.id);
      if (attempt === null) return { outcome: 'skipped', reason: 'changed before the attempt (cancelled or missed)' };
      const played: Array<{ bulletinId: string; evidence: PlaybackEvidence }> = [];
      try {
        for (const [index, item] of program.entries()) {
          if (index === 0) await this.recordLateness(playback, attempt, Date.now());
          const evidence = await driver.play(target, { playbackId: playback.id, priority: playback.priority as PlaybackPriority, audio: item.audio, signal });
          played.push({ bulletinId: item.bulletinId, evidence });
        }
      } catch (error) {
        const failed = error instanceof DriverError && error.evidence ? [...played, { bulletinId: program[played.length].bulletinId, evidence: error.evidence }] : played;
        const reason = error instanceof DriverError ? `${error.kind}: ${error.message}` : `interrupted: ${(error as Error).message}`;
        await this.finish(playback.id, attempt, PlaybackStatus.Failed, { failureReason: reason, evidence: evidenceRecord(failed), finishedAt: new Date() });
        this.logger.warn({ playbackId: playback.id, reason }, 'Playback failed');
        return { outcome: 'failed', playbackId: playback.id };
      }
      // A manual cluster was only shown to its operator: it stays on air until the operator confirms it.
      const status = driver.name === 'manual' ? PlaybackStatus.Playing : PlaybackStatus.Played;
      await this.finish(playback.id, attempt, status, { evidence: evidenceRecord(played), finishedAt: status === PlaybackStatus.Played ? new Date() : null });
      return { outcome: status === PlaybackStatus.Played ? 'played' : 'playing', playbackId: playback.id };
    } finally {
      await leases.release(speaker.id, token);
    }
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
