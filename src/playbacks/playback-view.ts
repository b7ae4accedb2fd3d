import { Playback, PlaybackEvidenceRecord } from './playback.entity';
import { PlaybackStatus } from './playback-status';

export interface PlaybackView {
  id: string;
  scheduleId: string;
  speakerId: string;
  villageId: string;
  communeId: string;
  priority: string;
  scheduledAt: string;
  graceUntil: string;
  status: PlaybackStatus;
  latenessMs: number | null;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  failureReason: string | null;
  evidence: PlaybackEvidenceRecord | null;
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
    failureReason: playback.failureReason,
    evidence: playback.evidence,
  };
}
