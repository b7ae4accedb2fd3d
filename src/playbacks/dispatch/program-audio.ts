import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Bulletin } from '../../bulletins/bulletin.entity';
import { ChimeAudio } from '../../chime/chime-audio';
import { MediaLinks } from '../../media-links/media-links.service';
import { ProgramVersion } from '../../schedules/program';
import { ScheduleBulletin } from '../../schedules/schedule-bulletin.entity';
import { Schedule } from '../../schedules/schedule.entity';
import { DriverAudioCache } from '../../speakers/drivers/driver-audio-cache';
import { DriverAudioFormat, PlaybackAudio, ProgramItem } from '../../speakers/drivers/speaker-driver';

export type { ProgramItem };

/** The program item of the pre-announcement chime, in evidence records where a bulletin's id would be. */
export const CHIME_ITEM = 'chime';

/** What a driver needs of the audio: its format (null: nothing is sent) and whether the device fetches it by URL. */
export interface AudioNeed {
  format: DriverAudioFormat | null;
  withUrl: boolean;
}

/** A slot's program is read once for all its villages staged together, then read again for later slots. */
const SHARED_FOR_MS = 15_000;

export function programMs(program: ProgramItem[]): number {
  return program.reduce((sum, item) => sum + item.audio.durationMs, 0);
}

/**
 * A schedule's program (the chime when the schedule asks for it, then its bulletins in order) as each driver's
 * audio, made ready before the instant: an ffmpeg conversion must never make a speaker late. The chime is a
 * rendition in the audio store like a bulletin's, converted per driver format the same way.
 */
@Injectable()
export class ProgramAudio {
  constructor(
    @InjectRepository(Schedule) private readonly schedules: Repository<Schedule>,
    @InjectRepository(ScheduleBulletin) private readonly items: Repository<ScheduleBulletin>,
    @InjectRepository(Bulletin) private readonly bulletins: Repository<Bulletin>,
    private readonly audioCache: DriverAudioCache,
    private readonly mediaLinks: MediaLinks,
    private readonly chime: ChimeAudio,
  ) {}

  private readonly shared = new Map<string, Promise<Map<string, ProgramItem[]>>>();

  /**
   * The program once per distinct need (a village mixing Axis speakers and gateways converts each format once),
   * shared by the villages of one slot staged at the same time: 200 villages read it once, not 200 times.
   */
  prepare(program: ProgramVersion, scheduledAt: Date, needs: AudioNeed[]): Promise<Map<string, ProgramItem[]>> {
    const key = `${program.scheduleId}/${program.version}@${scheduledAt.getTime()}:${[...new Set(needs.map(audioNeedKey))].sort().join(',')}`;
    let prepared = this.shared.get(key);
    if (!prepared) {
      prepared = this.read(program, needs);
      this.shared.set(key, prepared);
      const forget = (): void => void setTimeout(() => this.shared.delete(key), SHARED_FOR_MS).unref();
      // A failure is not shared beyond the villages already waiting for it.
      prepared.then(forget, () => this.shared.delete(key));
    }
    return prepared;
  }

  private async read({ scheduleId, version }: ProgramVersion, needs: AudioNeed[]): Promise<Map<string, ProgramItem[]>> {
    const items = await this.items.find({ where: { scheduleId, version }, order: { position: 'ASC' } });
    if (items.length === 0) throw new Error(`Version ${version} of schedule ${scheduleId}'s program has no bulletin to play`);
    const bulletins = await this.bulletins.findBy({ id: In(items.map((item) => item.bulletinId)) });
    const schedule = await this.schedules.findOneBy({ id: scheduleId });
    const chime = schedule?.chime ? await this.chime.rendition() : null;
    const programs = new Map<string, ProgramItem[]>();
    for (const need of needs) {
      const key = audioNeedKey(need);
      if (programs.has(key)) continue;
      const program = await Promise.all(
        items.map(async ({ bulletinId }) => {
          const bulletin = bulletins.find((candidate) => candidate.id === bulletinId);
          if (!bulletin?.renditionSha256 || !bulletin.durationMs) throw new Error(`Bulletin ${bulletinId} has no rendition to play`);
          return { bulletinId, audio: await this.audio(bulletin.renditionSha256, bulletin.durationMs, need) };
        }),
      );
      if (chime) program.unshift({ bulletinId: CHIME_ITEM, audio: await this.audio(chime.sha256, chime.durationMs, need) });
      programs.set(key, program);
    }
    return programs;
  }

  private async audio(sha256: string, durationMs: number, need: AudioNeed): Promise<PlaybackAudio> {
    return {
      path: await this.audioCache.pathFor(sha256, need.format ?? 'mp3'),
      sha256,
      durationMs,
      ...(need.withUrl ? { url: this.mediaLinks.urlFor(sha256, 'mp3') } : {}),
    };
  }
}

export function audioNeedKey(need: AudioNeed): string {
  return `${need.format ?? 'none'}:${need.withUrl ? 'url' : 'file'}`;
}
