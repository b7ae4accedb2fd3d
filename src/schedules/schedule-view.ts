import { BulletinStatus } from '../bulletins/bulletin-status';
import { ScheduleHoldCode } from './schedule-hold';
import { SchedulePriority } from './schedule-priority';
import { ScheduleStatus } from './schedule-status';
import { Schedule } from './schedule.entity';

/** What the API says about a schedule. */
export interface ScheduleView {
  id: string;
  communeId: string;
  title: string;
  status: ScheduleStatus;
  bulletinIds: string[];
  /** Raised by each edit of `bulletinIds`; playbacks name the version they aired. */
  programVersion: number;
  targets: { communeIds: string[]; villageIds: string[]; speakerIds: string[] };
  startsAt: Date | null;
  rrule: string | null;
  timezone: string;
  priority: SchedulePriority;
  misfireGraceSeconds: number;
  chime: boolean;
  validFrom: Date | null;
  validUntil: Date | null;
  programSeconds: number;
  /** Set when the planner could not expand the rule: not planned until an edit of its timing. */
  quarantine: { since: Date; reason: string } | null;
  /**
   * Set when a bulletin of the program was rejected or archived: the schedule was paused and nothing of it airs until
   * an editor resumes it. `bulletin` is that bulletin as it is now (approved again, or still withdrawn, with the
   * approver's reason), null if it is gone.
   */
  hold: ScheduleHoldView | null;
  /**
   * True for an active one-off whose instant, misfire grace and program are all past: no attempt of it can start
   * or still be playing, so it is done (the console shows “Đã phát xong”; what aired where is in the reports).
   */
  finished: boolean;
  revision: number;
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScheduleHoldView {
  code: ScheduleHoldCode;
  since: Date;
  bulletin: { id: string; title: string; status: BulletinStatus; statusReason: string | null } | null;
}

/** The bulletins of the program version in force, in order, of a schedule loaded with its bulletins. */
export function currentBulletinIds(schedule: Schedule): string[] {
  return (schedule.bulletins ?? [])
    .filter((item) => item.version === schedule.programVersion)
    .sort((a, b) => a.position - b.position)
    .map((item) => item.bulletinId);
}

/** The view of a schedule loaded with its bulletins and targets. */
export function toScheduleView(schedule: Schedule): ScheduleView {
  const targets = schedule.targets ?? [];
  const ids = (pick: (target: (typeof targets)[number]) => string | null) => targets.map(pick).filter((id): id is string => id !== null);
  return {
    id: schedule.id,
    communeId: schedule.communeId,
    title: schedule.title,
    status: schedule.status,
    bulletinIds: currentBulletinIds(schedule),
    programVersion: schedule.programVersion,
    targets: { communeIds: ids((t) => t.communeId), villageIds: ids((t) => t.villageId), speakerIds: ids((t) => t.speakerId) },
    startsAt: schedule.startsAt,
    rrule: schedule.rrule,
    timezone: schedule.timezone,
    priority: schedule.priority,
    misfireGraceSeconds: schedule.misfireGraceSeconds,
    chime: schedule.chime,
    validFrom: schedule.validFrom,
    validUntil: schedule.validUntil,
    programSeconds: schedule.programMs / 1000,
    quarantine: schedule.quarantinedAt ? { since: schedule.quarantinedAt, reason: schedule.quarantineReason ?? '' } : null,
    hold: holdView(schedule),
    finished: isFinishedOneOff(schedule, new Date()),
    revision: schedule.revision,
    createdBy: schedule.createdBy,
    updatedBy: schedule.updatedBy,
    createdAt: schedule.createdAt,
    updatedAt: schedule.updatedAt,
  };
}

/** An active one-off past its instant, its misfire grace and its program's length. */
export function isFinishedOneOff(schedule: Schedule, now: Date): boolean {
  if (schedule.status !== ScheduleStatus.Active || !schedule.startsAt) return false;
  return schedule.startsAt.getTime() + schedule.misfireGraceSeconds * 1000 + schedule.programMs <= now.getTime();
}

/** The hold of a schedule loaded with its held bulletin, or null when it is not held. */
function holdView(schedule: Schedule): ScheduleHoldView | null {
  if (!schedule.heldAt || !schedule.holdCode) return null;
  const bulletin = schedule.heldBulletin;
  return {
    code: schedule.holdCode,
    since: schedule.heldAt,
    bulletin: bulletin ? { id: bulletin.id, title: bulletin.title, status: bulletin.status, statusReason: bulletin.statusReason } : null,
  };
}
