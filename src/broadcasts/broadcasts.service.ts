import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectRepository } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { In, Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { OutOfScopeException } from '../auth/scope';
import { AppConfig } from '../config/app-config';
import { PlaybackPlanner } from '../playbacks/playback-planner';
import { PlaybackStatus, playbackStatusesBefore } from '../playbacks/playback-status';
import { toPlaybackView, PlaybackView } from '../playbacks/playback-view';
import { Playback } from '../playbacks/playback.entity';
import { LeaseRedis, SpeakerLeases } from '../playbacks/speaker-lease';
import { QueueName } from '../queue/queue.constants';
import { SchedulePriority } from '../schedules/schedule-priority';
import { ScheduleAction } from '../schedules/schedule-status';
import { SchedulesService } from '../schedules/schedules.service';
import { Speaker } from '../speakers/speaker.entity';
import { SpeakerTargets } from '../speakers/speaker-targets';
import { EmergencyBroadcastDto } from './broadcast.dto';

export const BROADCAST_STOPPED = 'broadcast_stopped';
/** How long a request waits for the planner lock held by a tick elsewhere. */
const PLAN_WAIT_MS = 10_000;

export interface BroadcastView {
  id: string;
  playbacks: PlaybackView[];
}

/**
 * Emergency broadcasts: an `emergency` schedule starting now, planned at once (not at the next tick), whose
 * playbacks pre-empt whatever plays. Stopping cancels the schedule (its waiting playbacks become `cancelled`) and
 * takes the speaker from any playback on air, which is recorded `preempted` with reason `broadcast_stopped`.
 */
@Injectable()
export class BroadcastsService {
  private readonly logger = new Logger(BroadcastsService.name);
  private leases: SpeakerLeases | null = null;

  constructor(
    private readonly schedules: SchedulesService,
    private readonly planner: PlaybackPlanner,
    private readonly targets: SpeakerTargets,
    private readonly config: AppConfig,
    @InjectRepository(Playback) private readonly playbacks: Repository<Playback>,
    @InjectRepository(Speaker) private readonly speakers: Repository<Speaker>,
    @InjectQueue(QueueName.Playback) private readonly queue: Queue,
  ) {}

  async emergency(dto: EmergencyBroadcastDto, caller: AuthUser): Promise<BroadcastView> {
    const schedule = await this.schedules.createEmergency(dto, caller);
    await this.planner.planCommuneNow(schedule.communeId, PLAN_WAIT_MS);
    return { id: schedule.id, playbacks: await this.playbacksOf(schedule.id) };
  }

  async stop(id: string, caller: AuthUser): Promise<BroadcastView> {
    const schedule = await this.schedules.find(id, caller);
    if (schedule.priority !== SchedulePriority.Emergency) throw new OutOfScopeException(`No emergency broadcast has id ${id}`);
    await this.schedules.transition(id, ScheduleAction.Cancel, caller).catch((error: unknown) => {
      if (error instanceof ConflictException) throw new ConflictException(`Broadcast ${id} was already stopped`);
      throw error;
    });
    // On air now: recorded first (so the worker's later writes are refused), then its lease is taken (a worker in
    // any process drops the transmit within a quarter second) and the driver is told here too.
    const onAir = await this.playbacks.findBy({ scheduleId: id, status: In([PlaybackStatus.Dispatching, PlaybackStatus.Playing]) });
    const leases = await this.leaseStore();
    for (const playback of onAir) {
      await this.playbacks.query(
        `UPDATE playbacks SET status = 'preempted', failure_reason = $2, finished_at = now(), updated_at = now() WHERE id = $1 AND status = ANY($3)`,
        [playback.id, BROADCAST_STOPPED, playbackStatusesBefore(PlaybackStatus.Preempted)],
      );
      await leases.revoke(playback.speakerId, playback.id);
      const speaker = await this.speakers.findOneBy({ id: playback.speakerId });
      if (speaker) {
        const { driver, target } = this.targets.resolve(speaker);
        await driver.stop(target, playback.id).catch((error: unknown) => this.logger.warn({ err: error, playbackId: playback.id }, 'Could not stop a playback'));
      }
    }
    // Waiting playbacks become `cancelled` (schedule_cancelled) and their jobs go, now rather than at the next tick.
    await this.planner.planCommuneNow(schedule.communeId, PLAN_WAIT_MS);
    return { id, playbacks: await this.playbacksOf(id) };
  }

  private async playbacksOf(scheduleId: string): Promise<PlaybackView[]> {
    const rows = await this.playbacks.find({ where: { scheduleId }, order: { scheduledAt: 'ASC', speakerId: 'ASC' } });
    return rows.map(toPlaybackView);
  }

  private async leaseStore(): Promise<SpeakerLeases> {
    // BullMQ's client is an ioredis instance; its typings only name the commands BullMQ itself uses.
    this.leases ??= new SpeakerLeases((await this.queue.client) as unknown as LeaseRedis, this.config.redis.queuePrefix);
    return this.leases;
  }
}
