import { ConflictException, Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { OutOfScopeException } from '../auth/scope';
import { PlaybackPlanner } from '../playbacks/playback-planner';
import { PlaybackStops } from '../playbacks/dispatch/playback-stops';
import { toPlaybackView, PlaybackView } from '../playbacks/playback-view';
import { PlaybackRepository } from '../playbacks/playback-repository';
import { SchedulePriority } from '../schedules/schedule-priority';
import { ScheduleAction } from '../schedules/schedule-status';
import { SchedulesService } from '../schedules/schedules.service';
import { EmergencyBroadcastDto } from './broadcast.dto';

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
  constructor(
    private readonly schedules: SchedulesService,
    private readonly planner: PlaybackPlanner,
    private readonly stops: PlaybackStops,
    private readonly playbacks: PlaybackRepository,
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
    // On air now: each is stopped the dispatcher's way (recorded, lease revoked, driver told), in whatever process plays it.
    const onAir = await this.playbacks.onAirOfSchedule(id);
    for (const playback of onAir) await this.stops.stop(playback, 'broadcast_stopped');
    // Waiting playbacks become `cancelled` (schedule_cancelled) and their jobs go, now rather than at the next tick.
    await this.planner.planCommuneNow(schedule.communeId, PLAN_WAIT_MS);
    return { id, playbacks: await this.playbacksOf(id) };
  }

  private async playbacksOf(scheduleId: string): Promise<PlaybackView[]> {
    return (await this.playbacks.ofSchedule(scheduleId)).map(toPlaybackView);
  }
}
