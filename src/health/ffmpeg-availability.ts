import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { clearNamedTimer, setNamedInterval } from '../common/named-timers';
import { AppConfig } from '../config/app-config';
import { FfmpegAdapter } from '../media/ffmpeg.adapter';

export const FFMPEG_PROBE_TIMER = 'ffmpeg-probe';

/** What the last `ffmpeg -version` said: its first line, or why it could not run. */
export interface FfmpegProbeResult {
  ok: boolean;
  version?: string;
  error?: string;
  checkedAt: Date;
}

/**
 * Whether ffmpeg can run, from a probe at start and then every HEALTH_FFMPEG_PROBE_SECONDS: a health check reads
 * the last result, so no caller, however often it asks, makes the service start a process.
 */
@Injectable()
export class FfmpegAvailability implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FfmpegAvailability.name);
  private result: FfmpegProbeResult | null = null;
  private probing: Promise<void> | null = null;

  constructor(
    private readonly ffmpeg: FfmpegAdapter,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.probe();
    setNamedInterval(this.scheduler, FFMPEG_PROBE_TIMER, this.config.health.ffmpegProbeSeconds * 1000, () => void this.probe());
  }

  beforeApplicationShutdown(): void {
    clearNamedTimer(this.scheduler, 'interval', FFMPEG_PROBE_TIMER);
  }

  get last(): FfmpegProbeResult {
    return this.result ?? { ok: false, error: 'not probed yet', checkedAt: new Date() };
  }

  /** One probe at a time: a probe still running when the next is due is the one that counts. */
  private probe(): Promise<void> {
    this.probing ??= this.runProbe().finally(() => (this.probing = null));
    return this.probing;
  }

  private async runProbe(): Promise<void> {
    const wasOk = this.result?.ok;
    try {
      this.result = { ok: true, version: await this.ffmpeg.version(), checkedAt: new Date() };
    } catch (error) {
      this.result = { ok: false, error: (error as Error).message.split('\n')[0], checkedAt: new Date() };
    }
    // Said once per change, not at every probe.
    if (wasOk !== false && !this.result.ok) this.logger.warn(`ffmpeg cannot run (${this.config.ffmpeg.ffmpegPath}): ${this.result.error}`);
    if (wasOk === false && this.result.ok) this.logger.log(`ffmpeg runs again: ${this.result.version}`);
  }
}
