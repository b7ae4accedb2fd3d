import { Occurrence, ScheduleTiming } from '../schedules/recurrence';
import { SchedulePriority } from '../schedules/schedule-priority';

/**
 * Village jobs fire this long before the instant: the worker loads the village's playbacks, prepares the audio, takes
 * the leases and commits the attempts, then waits in-process for the instant, so neither the queue's drain nor
 * PostgreSQL sits between the instant and the driver calls.
 */
export const DISPATCH_LEAD_MS = 10_000;

/**
 * A planning run counts an occurrence as released this long before its village jobs fire (DISPATCH_LEAD_MS before
 * the instant): the run's own insert and queueing take time, and a row that arrives after its village's job loaded
 * the slot would wait for a job that already ran.
 */
export const RELEASE_MARGIN_MS = 2_000;

/** One occurrence of one schedule on one village: the unit a dispatch job carries. */
export interface VillageSlot {
  scheduleId: string;
  scheduledAt: Date;
  villageId: string;
}

/** The one BullMQ job id of a village slot: queuing it twice (or after Redis lost it) is harmless. */
export function villageJobId(slot: VillageSlot): string {
  return `village-${slot.scheduleId}-${slot.scheduledAt.getTime()}-${slot.villageId}`;
}

/**
 * A slot queued again for an attempt whose lease was gone is due no sooner than this: a live worker whose lease
 * Redis lost puts it back within a lease-watch round (LEASE_WATCH_MS), so the job that retakes the attempt finds
 * the speaker held by it and waits, instead of playing it a second time.
 */
export const RETAKE_DELAY_MS = 1_000;

/** How long BullMQ keeps the job delayed: it fires `lead` early, or at once when the instant is that close or past. */
export function dispatchDelayMs(scheduledAt: Date, now: Date, lead = DISPATCH_LEAD_MS): number {
  return Math.max(0, scheduledAt.getTime() - now.getTime() - lead);
}

/** The last instant an occurrence may still start. */
export function graceUntil(scheduledAt: Date, misfireGraceSeconds: number): Date {
  return new Date(scheduledAt.getTime() + misfireGraceSeconds * 1000);
}

/** Whether a start at `now` is later than the occurrence's grace allows. */
export function isPastGrace(graceUntilAt: Date, now: Date): boolean {
  return now.getTime() > graceUntilAt.getTime();
}

export interface PlanningSchedule extends ScheduleTiming {
  id: string;
  communeId: string;
  priority: SchedulePriority;
  misfireGraceSeconds: number;
  programVersion: number;
  createdAt: Date;
}

export interface PlanningSpeaker {
  id: string;
  villageId: string;
}

export interface PlannedPlayback {
  scheduleId: string;
  speakerId: string;
  villageId: string;
  communeId: string;
  priority: SchedulePriority;
  programVersion: number;
  scheduledAt: Date;
  graceUntil: Date;
}

/**
 * One playback per speaker per occurrence of the planning window (planningWindow; the occurrences come from
 * RecurrenceEngine): what the planner inserts (ON CONFLICT DO NOTHING on schedule, speaker and instant, so planning
 * twice adds nothing).
 */
export function planPlaybacks(schedule: PlanningSchedule, speakers: PlanningSpeaker[], occurrences: Occurrence[]): PlannedPlayback[] {
  return occurrences.flatMap((occurrence) =>
    speakers.map((speaker) => ({
      scheduleId: schedule.id,
      speakerId: speaker.id,
      villageId: speaker.villageId,
      communeId: schedule.communeId,
      priority: schedule.priority,
      programVersion: schedule.programVersion,
      scheduledAt: occurrence.at,
      graceUntil: graceUntil(occurrence.at, schedule.misfireGraceSeconds),
    })),
  );
}

/** Occurrences up to this instant are released (or past) for a run inserting at `now`. */
export function releasedUntil(now: Date): Date {
  return new Date(now.getTime() + DISPATCH_LEAD_MS + RELEASE_MARGIN_MS);
}

/** One occurrence of one schedule, as a key. */
export function occurrenceKey(scheduleId: string, scheduledAt: Date): string {
  return `${scheduleId}/${scheduledAt.getTime()}`;
}

/** A plan's occurrences up to `until` (released or past), once each; whether they have playbacks is for the database. */
export function releasedCandidates(rows: PlannedPlayback[], until: Date): Array<Pick<PlannedPlayback, 'scheduleId' | 'communeId' | 'scheduledAt'>> {
  const candidates = new Map<string, Pick<PlannedPlayback, 'scheduleId' | 'communeId' | 'scheduledAt'>>();
  for (const { scheduleId, communeId, scheduledAt } of rows) {
    if (scheduledAt.getTime() <= until.getTime()) candidates.set(occurrenceKey(scheduleId, scheduledAt), { scheduleId, communeId, scheduledAt });
  }
  return [...candidates.values()];
}

/**
 * What a run inserts: its plan, less every row of an occurrence that was released with its playbacks (`released`,
 * occurrence keys). Such an occurrence belongs to the speakers it was released with: their rows exist already, and a
 * speaker registered, enabled or moved into a targeted village since then starts with the next occurrence. An
 * occurrence with no playback yet (a schedule created or edited moments before its instant) is planned whole.
 */
export function withoutNewcomers(rows: PlannedPlayback[], released: ReadonlySet<string>): PlannedPlayback[] {
  if (released.size === 0) return rows;
  return rows.filter((row) => !released.has(occurrenceKey(row.scheduleId, row.scheduledAt)));
}

/**
 * The instants a planning run covers for a schedule: from the oldest occurrence still inside its grace (never before
 * the schedule existed) to the horizon. Occurrences already past but still inside their grace are included (the
 * service was down across the slot: it plays once, late), unless they are older than the schedule itself (a schedule
 * created at 06:05 does not air its 06:00 slot). Inside it, the run's playbacks are the whole plan: a waiting playback there
 * that the run did not produce belongs to an older version of the schedule.
 */
export function planningWindow(schedule: PlanningSchedule, now: Date, horizonMs: number): { from: Date; to: Date } {
  const from = Math.max(now.getTime() - schedule.misfireGraceSeconds * 1000, schedule.createdAt.getTime());
  return { from: new Date(from), to: new Date(now.getTime() + horizonMs) };
}

/** Milliseconds until the next whole minute after `now` (the planner's tick), never zero. */
export function msUntilNextMinute(now: Date): number {
  return 60_000 - (now.getTime() % 60_000);
}
