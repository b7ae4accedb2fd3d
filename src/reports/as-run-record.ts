/** One line of the broadcast log as read from the database; local times are already in the commune's zone. */
export interface AsRunRecord {
  playback_id: string;
  scheduled_at: Date;
  local_day: string;
  scheduled_local: string;
  started_local: string | null;
  finished_local: string | null;
  village_id: string;
  village_name: string;
  speaker_id: string;
  speaker_name: string;
  schedule_id: string;
  schedule_title: string;
  bulletins: string | null;
  topics: string | null;
  program_ms: string | null;
  on_air_ms: string | null;
  priority: string;
  status: string;
  failure_code: string | null;
  failure_detail: string | null;
  evidence_level: string | null;
  confirmed_local: string | null;
  confirmed_by: string | null;
  confirmation_note: string | null;
  problem_kind: string | null;
  problem_note: string | null;
  problem_local: string | null;
  problem_by: string | null;
}
