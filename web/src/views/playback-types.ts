import type { ScheduleHoldCode } from '../../../src/schedules/schedule-hold';

/** The API's playback view (GET /api/playbacks, the live feed) as the console reads it. */
export interface Playback {
  id: string;
  scheduleId: string;
  speakerId: string;
  villageId: string;
  communeId: string;
  priority: string;
  scheduledAt: string;
  status: string;
  latenessMs: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why it did not play (a code), and the human detail apart (a device's message, the attempts made). */
  failureCode: string | null;
  failureDetail?: string | null;
  evidenceLevel?: string | null;
  confirmedAt?: string | null;
  confirmedBy?: string | null;
  confirmationNote?: string | null;
  problemKind?: string | null;
  problemNote?: string | null;
  problemReportedAt?: string | null;
}

/** The fields of GET /api/schedules the console shows. */
export interface ScheduleSummary {
  id: string;
  communeId: string;
  title: string;
  status: string;
  priority: string;
  bulletinIds: string[];
  targets: { communeIds: string[]; villageIds: string[]; speakerIds: string[] };
  startsAt: string | null;
  rrule: string | null;
  timezone: string;
  chime: boolean;
  validFrom: string | null;
  validUntil: string | null;
  programSeconds: number;
  /** Set when the planner could not expand the rule: nothing of it airs until its timing is edited. */
  quarantine: { since: string; reason: string } | null;
  /** Set when a bulletin of the program was rejected or archived: paused, nothing airs until an editor resumes it. */
  hold: ScheduleHold | null;
  /** An active one-off whose instant, misfire grace and program are past: done, shown as “Đã phát xong”. */
  finished: boolean;
}

export interface ScheduleHold {
  code: ScheduleHoldCode;
  since: string;
  /** The bulletin as it is now (approved again, or still withdrawn with the approver's reason); null if it is gone. */
  bulletin: { id: string; title: string; status: string; statusReason: string | null } | null;
}
