import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { HealthResult } from '../drivers/speaker-driver';
import { SpeakerHealthCheck } from '../speaker-health-check.entity';
import { Speaker } from '../speaker.entity';
import { SpeakerTargets } from '../speaker-targets';
import { stateAfterCheck } from './health-status';

/** While nothing changes, the sweep keeps one check an hour in a speaker's history. */
export const HISTORY_HEARTBEAT_MS = 3_600_000;

/**
 * Which checks the history keeps: `every` one (a person asked for it), or only `changes` (the sweep): the first
 * check, a change of outcome, status or failure, and one check an hour while nothing changes. A province's
 * thousands of speakers checked every minute would otherwise write tens of millions of identical rows a month.
 */
export type HistoryKeeping = 'every' | 'changes';

/** Checks one speaker through its driver, keeps the result in its history and moves its status. */
@Injectable()
export class SpeakerHealthService {
  private readonly logger = new Logger(SpeakerHealthService.name);

  constructor(
    @InjectRepository(Speaker) private readonly speakers: Repository<Speaker>,
    @InjectRepository(SpeakerHealthCheck) private readonly checks: Repository<SpeakerHealthCheck>,
    private readonly targets: SpeakerTargets,
    private readonly config: AppConfig,
  ) {}

  /** The check's result; it has an id when the history kept it. */
  async check(speaker: Speaker, keeping: HistoryKeeping = 'every'): Promise<SpeakerHealthCheck> {
    let result: HealthResult;
    try {
      // Inside the try: secrets that no longer open (SECRETS_KEY changed) are a failed check, not a crash.
      const { driver, target } = this.targets.resolve(speaker);
      result = await driver.checkHealth(target);
    } catch (error) {
      result = { ok: false, latencyMs: 0, detail: `The check itself failed: ${(error as Error).message}`, errorKind: 'protocol' };
    }
    return this.record(speaker, result, keeping);
  }

  /** The latest checks of a speaker, newest first. */
  history(speakerId: string, limit: number): Promise<SpeakerHealthCheck[]> {
    return this.checks.find({ where: { speakerId }, order: { at: 'DESC', id: 'DESC' }, take: limit });
  }

  private async record(speaker: Speaker, result: HealthResult, keeping: HistoryKeeping): Promise<SpeakerHealthCheck> {
    const now = new Date();
    const next = stateAfterCheck(speaker, result.ok, this.config.speakers.offlineAfterFailures);
    const changed = next.status !== speaker.status;
    const kept = keeping === 'every' || changed || this.isNews(speaker, result) || (await this.heartbeatDue(speaker.id, now));
    const entry = await this.speakers.manager.transaction(async (manager) => {
      await manager.update(
        Speaker,
        { id: speaker.id },
        {
          status: next.status,
          consecutiveFailures: next.consecutiveFailures,
          statusDetail: result.detail,
          lastCheckedAt: now,
          ...(result.ok ? { lastSeenAt: now } : {}),
          ...(changed ? { statusChangedAt: now } : {}),
        },
      );
      const check = manager.create(SpeakerHealthCheck, {
        speakerId: speaker.id,
        // One clock for the history and the speaker's lastCheckedAt, so the two never disagree.
        at: now,
        ok: result.ok,
        latencyMs: result.latencyMs,
        detail: result.detail,
        errorKind: result.errorKind ?? null,
        status: next.status,
      });
      return kept ? manager.save(check) : check;
    });
    if (changed) {
      this.logger.log({ speakerId: speaker.id, from: speaker.status, to: next.status, detail: result.detail }, 'Speaker status changed');
    }
    Object.assign(speaker, next, { lastCheckedAt: now });
    return entry;
  }

  /** A first check, another outcome than the last one, or a failure other than the last one. */
  private isNews(speaker: Speaker, result: HealthResult): boolean {
    if (speaker.lastCheckedAt === null) return true;
    const lastOk = speaker.consecutiveFailures === 0;
    return lastOk !== result.ok || (!result.ok && result.detail !== speaker.statusDetail);
  }

  private async heartbeatDue(speakerId: string, now: Date): Promise<boolean> {
    const [latest] = await this.checks.find({ select: { at: true }, where: { speakerId }, order: { at: 'DESC' }, take: 1 });
    return !latest || now.getTime() - latest.at.getTime() >= HISTORY_HEARTBEAT_MS;
  }
}
