import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { ProgramOverlap, programOverlaps } from './overlaps';
import { localIso, Occurrence } from './recurrence';
import { RecurrenceEngine } from './recurrence-engine';
import { RecurrenceError } from './recurrence-error';
import { SchedulePriority } from './schedule-priority';
import { ScheduleSpeakers } from './schedule-speakers';
import { ScheduleStatus } from './schedule-status';
import { Schedule } from './schedule.entity';

const DEFAULT_WINDOW_MS = 7 * 86_400_000;
const MAX_WINDOW_MS = 31 * 86_400_000;

export interface OccurrencePreview {
  scheduleId: string;
  status: ScheduleStatus;
  timezone: string;
  from: Date;
  to: Date;
  programSeconds: number;
  occurrences: { at: Date; local: string; endsAt: Date; shiftedByDst: boolean }[];
  speakers: { id: string; name: string; villageId: string }[];
  overlaps: {
    speakerId: string;
    speakerName: string;
    villageId: string;
    at: Date;
    local: string;
    otherScheduleId: string;
    otherTitle: string;
    otherPriority: SchedulePriority;
    otherAt: Date;
    otherLocal: string;
    overlapSeconds: number;
  }[];
}

/**
 * Previews a schedule's occurrences from when it was created on, and where its program would share a speaker with another active schedule's.
 * Clashes are looked for only among schedules that plan cleanly: a quarantined one, or one whose rule fails now, airs
 * nothing, so it clashes with nothing and cannot make this preview fail.
 */
@Injectable()
export class ScheduleOccurrences {
  constructor(
    @InjectRepository(Schedule) private readonly schedules: Repository<Schedule>,
    private readonly speakers: ScheduleSpeakers,
    private readonly recurrence: RecurrenceEngine,
  ) {}

  async preview(schedule: Schedule, query: { from?: string; to?: string }): Promise<OccurrencePreview> {
    const from = query.from ? new Date(query.from) : new Date();
    const to = query.to ? new Date(query.to) : new Date(from.getTime() + DEFAULT_WINDOW_MS);
    if (to <= from) throw new BadRequestException('to must be after from');
    if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw new BadRequestException('to must be at most 31 days after from; preview a shorter window');
    // A schedule airs nothing before it existed: a daily 06:00 rule saved at 06:36 starts tomorrow, not this morning.
    const mine = await this.expand(schedule, new Date(Math.max(from.getTime(), schedule.createdAt.getTime())), to);
    const others = await this.schedules.findBy({ communeId: schedule.communeId, status: ScheduleStatus.Active, quarantinedAt: IsNull(), id: Not(schedule.id) });
    const speakersOf = await this.speakers.resolve([schedule.id, ...others.map((other) => other.id)]);
    const mySpeakers = speakersOf.get(schedule.id)!;
    const overlaps: OccurrencePreview['overlaps'] = [];
    for (const other of others) {
      const shared = speakersOf.get(other.id)!.filter((speaker) => mySpeakers.some((candidate) => candidate.id === speaker.id));
      if (shared.length === 0) continue;
      // An occurrence that started up to one program length before `from` may still be on air within the window.
      const theirs = await this.recurrence
        .between(other, new Date(from.getTime() - other.programMs), new Date(to.getTime() + schedule.programMs))
        .catch((error: unknown) => {
          if (error instanceof RecurrenceError) return [] as Occurrence[];
          throw error;
        });
      const found: ProgramOverlap[] = programOverlaps(
        { scheduleId: schedule.id, starts: mine.map((occurrence) => occurrence.at), lengthMs: schedule.programMs },
        { scheduleId: other.id, starts: theirs.map((occurrence) => occurrence.at), lengthMs: other.programMs },
      );
      for (const speaker of shared) {
        for (const overlap of found) {
          overlaps.push({
            speakerId: speaker.id,
            speakerName: speaker.name,
            villageId: speaker.villageId,
            at: overlap.at,
            local: localIso(overlap.at, schedule.timezone),
            otherScheduleId: other.id,
            otherTitle: other.title,
            otherPriority: other.priority,
            otherAt: overlap.otherAt,
            otherLocal: localIso(overlap.otherAt, schedule.timezone),
            overlapSeconds: overlap.overlapMs / 1000,
          });
        }
      }
    }
    overlaps.sort((a, b) => a.at.getTime() - b.at.getTime() || a.speakerName.localeCompare(b.speakerName));
    return {
      scheduleId: schedule.id,
      status: schedule.status,
      timezone: schedule.timezone,
      from,
      to,
      programSeconds: schedule.programMs / 1000,
      occurrences: mine.map((occurrence) => ({ ...occurrence, endsAt: new Date(occurrence.at.getTime() + schedule.programMs) })),
      speakers: mySpeakers.map((speaker) => ({ id: speaker.id, name: speaker.name, villageId: speaker.villageId })),
      overlaps,
    };
  }

  private async expand(schedule: Schedule, from: Date, to: Date): Promise<Occurrence[]> {
    try {
      return await this.recurrence.between(schedule, from, to);
    } catch (error) {
      if (error instanceof RecurrenceError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
