import { DateTime } from 'luxon';
import { encodeCursor } from '../common/keyset-cursor';
import { AsRunRecord } from './as-run-record';

/** One playback of the broadcast log, as the JSON answer gives it (instants in the commune's zone, with offset). */
export interface AsRunLine {
  playbackId: string;
  localDay: string;
  villageId: string;
  villageName: string;
  speakerId: string;
  speakerName: string;
  scheduleId: string;
  scheduleTitle: string;
  bulletins: string | null;
  topics: string | null;
  priority: string;
  scheduledAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The program's duration: what a played playback adds to the minutes on air. */
  programMs: number | null;
  /** Measured: finished − started, when the driver reported both. */
  onAirMs: number | null;
  status: string;
  /** Why it did not play, as a code (labelled by reasonLabel), and the human detail apart. */
  reason: string | null;
  reasonDetail: string | null;
  evidenceLevel: string | null;
  confirmation: { at: string | null; by: string | null; note: string | null } | null;
  problem: { kind: string; note: string | null; at: string | null; by: string | null } | null;
}

export function toAsRunLine(record: AsRunRecord, zone: string): AsRunLine {
  const instant = (local: string | null) => (local ? DateTime.fromSQL(local, { zone }).toISO() : null);
  return {
    playbackId: record.playback_id,
    localDay: record.local_day,
    villageId: record.village_id,
    villageName: record.village_name,
    speakerId: record.speaker_id,
    speakerName: record.speaker_name,
    scheduleId: record.schedule_id,
    scheduleTitle: record.schedule_title,
    bulletins: record.bulletins,
    topics: record.topics,
    priority: record.priority,
    scheduledAt: instant(record.scheduled_local)!,
    startedAt: instant(record.started_local),
    finishedAt: instant(record.finished_local),
    programMs: record.program_ms === null ? null : Number(record.program_ms),
    onAirMs: record.on_air_ms === null ? null : Number(record.on_air_ms),
    status: record.status,
    reason: record.failure_code,
    reasonDetail: record.failure_detail,
    evidenceLevel: record.evidence_level,
    confirmation: record.confirmed_local ? { at: instant(record.confirmed_local), by: record.confirmed_by, note: record.confirmation_note } : null,
    problem: record.problem_kind ? { kind: record.problem_kind, note: record.problem_note, at: instant(record.problem_local), by: record.problem_by } : null,
  };
}

/** The keyset cursor of the page after this line: its scheduled instant and id. */
export function nextCursor(record: AsRunRecord): string {
  return encodeCursor({ at: new Date(record.scheduled_at), id: record.playback_id });
}
