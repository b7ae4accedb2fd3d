import { Playback, PlaybackEvidenceRecord } from './playback.entity';
import { AirtimeEvidenceLevel } from '../airtime/airtime-ledger';
import { OperatorProblemKind } from './operator-problem-kind';
import { PlaybackStatus } from './playback-status';
import { PlaybackFailureCode } from './playback-failure';
import { SchedulePriority } from '../schedules/schedule-priority';

export interface PlaybackView {
  id: string;
  scheduleId: string;
  speakerId: string;
  villageId: string;
  communeId: string;
  priority: SchedulePriority;
  scheduledAt: string;
  graceUntil: string;
  status: PlaybackStatus;
  latenessMs: number | null;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why it ended other than played (a code the console and reports label), and the human detail apart. */
  failureCode: PlaybackFailureCode | null;
  failureDetail: string | null;
  evidence: PlaybackEvidenceRecord | null;
  evidenceLevel: AirtimeEvidenceLevel | null;
  confirmedAt: string | null;
  confirmedBy: string | null;
  confirmationNote: string | null;
  problemKind: OperatorProblemKind | null;
  problemNote: string | null;
  problemReportedAt: string | null;
  problemReportedBy: string | null;
}

export function toPlaybackView(playback: Playback): PlaybackView {
  return {
    id: playback.id,
    scheduleId: playback.scheduleId,
    speakerId: playback.speakerId,
    villageId: playback.villageId,
    communeId: playback.communeId,
    priority: playback.priority,
    scheduledAt: playback.scheduledAt.toISOString(),
    graceUntil: playback.graceUntil.toISOString(),
    status: playback.status,
    latenessMs: playback.latenessMs,
    attempts: playback.attempts,
    startedAt: playback.startedAt?.toISOString() ?? null,
    finishedAt: playback.finishedAt?.toISOString() ?? null,
    failureCode: playback.failureCode,
    failureDetail: playback.failureDetail,
    evidence: playback.evidence,
    evidenceLevel: playback.evidenceLevel,
    confirmedAt: playback.confirmedAt?.toISOString() ?? null,
    confirmedBy: playback.confirmedBy,
    confirmationNote: playback.confirmationNote,
    problemKind: playback.problemKind,
    problemNote: playback.problemNote,
    problemReportedAt: playback.problemReportedAt?.toISOString() ?? null,
    problemReportedBy: playback.problemReportedBy,
  };
}
