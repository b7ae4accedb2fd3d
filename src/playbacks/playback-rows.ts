import { KeysetCursor } from '../common/keyset-cursor';
import { SchedulePriority } from '../schedules/schedule-priority';
import { Speaker } from '../speakers/speaker.entity';
import { OperatorProblemKind } from './operator-problem-kind';
import { PlaybackFailure } from './playback-failure';
import { PlaybackStatus } from './playback-status';
import { PlaybackEvidenceRecord } from './playback.entity';

/** A playback of a village slot that still waits for its driver call (or whose attempt's worker died). */
export interface SlotPlayback {
  id: string;
  speakerId: string;
  communeId: string;
  villageId: string;
  priority: SchedulePriority;
  /** The version of the schedule's program it plays. */
  programVersion: number;
  status: PlaybackStatus;
  attempts: number;
  scheduledAt: Date;
  graceUntil: Date;
  /** What its driver needs of the speaker, read with it; null when the speaker was removed. */
  speaker: Speaker | null;
}

/** The end of one attempt, written only if that attempt is still the playback's latest and the state machine allows it. */
export interface AttemptOutcome {
  id: string;
  attempt: number;
  status: PlaybackStatus.Played | PlaybackStatus.Playing | PlaybackStatus.Failed | PlaybackStatus.Missed;
  failure: PlaybackFailure | null;
  evidence: PlaybackEvidenceRecord | null;
  finishedAt: Date | null;
}

/** A driver call's instant, for the attempt it was made for. */
export interface AttemptCall {
  id: string;
  attempt: number;
  calledAt: number;
  scheduledAt: Date;
}

/** A village slot (schedule × instant × village) as its playbacks' rows name it. */
export interface VillageSlotRow {
  schedule_id: string;
  scheduled_at: Date;
  village_id: string;
}

/** A waiting playback the planner withdrew or cancelled, with its village slot (whose job may go with it). */
export interface WithdrawnRow extends VillageSlotRow {
  id: string;
}

/** A waiting playback inside a planning window, as the plan is compared with it. */
export interface WaitingRow extends WithdrawnRow {
  speaker_id: string;
}

/** A village slot with something to dispatch: how many playbacks wait, and its unfinished attempts with their speakers. */
export interface QueuedSlotRow extends VillageSlotRow {
  waiting: number;
  unfinished: string[];
  unfinished_speakers: string[];
}

/** A playback the planner ended because it can no longer play. */
export interface StaleRow {
  id: string;
  commune_id: string;
  village_id: string;
  speaker_id: string;
  scheduled_at: Date;
}

/** A schedule's planning window: its waiting playbacks inside it are the plan's to keep or withdraw. */
export interface ScheduleWindow {
  scheduleId: string;
  from: Date;
  to: Date;
}

/** An occurrence of a schedule in a commune, as planning asks whether it already has playbacks. */
export interface Occurrence {
  scheduleId: string;
  communeId: string;
  scheduledAt: Date;
}

/** A village operator's confirmation that a playback was heard. */
export interface OperatorConfirmation {
  at: Date;
  by: string;
  note: string | null;
  /** A wired/FM cluster's playback waits `playing` for this word: it becomes `played`. */
  proofOfPlay: boolean;
}

/** A problem a village operator reported on a playback. */
export interface OperatorProblem {
  kind: OperatorProblemKind;
  note: string | null;
  at: Date;
  by: string;
}

/** Which playbacks a page lists: the caller's scope, then the filters; in keyset order after `after`. */
export interface PlaybackPageQuery {
  /** Only these villages' (a village operator's scope); null for no such limit. */
  villageScope: string[] | null;
  /** Only these communes'; null for every commune. */
  communeScope: string[] | null;
  from?: Date;
  to?: Date;
  scheduleId?: string;
  villageId?: string;
  status?: PlaybackStatus;
  /** true: only those with a problem reported, latest report first; false: only those without. */
  problem?: boolean;
  confirmed?: boolean;
  /** The last row of the previous page, as its sort instant (scheduled, or problem reported) and id. */
  after: KeysetCursor | null;
  limit: number;
}
