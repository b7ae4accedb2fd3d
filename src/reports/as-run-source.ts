import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KeysetCursor } from '../common/keyset-cursor';
import { reportConditions } from './report-conditions';
import { ReportRequest } from './report-request';

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

/** Lines per FETCH: large enough to amortise the round trip, small enough to keep memory flat. */
const FETCH_SIZE = 1000;

/** The broadcast log in scheduled order: a page for the console, or every line through a cursor for files. */
@Injectable()
export class AsRunSource {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(request: ReportRequest, limit: number, after: KeysetCursor | null): Promise<AsRunRecord[]> {
    const { sql, params } = asRunQuery(request, after);
    return (await this.dataSource.query(`${sql} LIMIT $${params.push(limit)}`, params)) as AsRunRecord[];
  }

  /**
   * Every line, FETCH_SIZE at a time from a server-side cursor in one read-only snapshot. The caller pulls batches
   * as fast as its client takes them; leaving the loop early (a client gone) closes the cursor and frees the connection.
   */
  async *batches(request: ReportRequest): AsyncGenerator<AsRunRecord[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let open = false;
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      const { sql, params } = asRunQuery(request, null);
      await runner.query(`DECLARE as_run NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const rows = (await runner.query(`FETCH ${FETCH_SIZE} FROM as_run`)) as AsRunRecord[];
        if (rows.length === 0) break;
        yield rows;
        if (rows.length < FETCH_SIZE) break;
      }
      await runner.query('COMMIT');
      open = false;
    } finally {
      // After an error or an early exit the transaction is still open: end it before the connection goes back.
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }
}

function asRunQuery(request: ReportRequest, after: KeysetCursor | null): { sql: string; params: unknown[] } {
  const { where, params } = reportConditions(request, 'p', 'playbacks');
  const zone = `$${params.push(request.commune.timezone)}`;
  const local = (column: string) => `to_char(${column} AT TIME ZONE ${zone}, 'YYYY-MM-DD HH24:MI:SS')`;
  const keyset = after ? ` AND (p.scheduled_at, p.id) > ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)` : '';
  const sql = `
    WITH program AS (
      SELECT sb.schedule_id, sb.version, string_agg(b.title, ' + ' ORDER BY sb.position) AS bulletins,
        string_agg(DISTINCT t.name, ', ') AS topics, sum(coalesce(b.duration_ms, b.original_duration_ms))::bigint AS program_ms
      FROM schedule_bulletins sb JOIN bulletins b ON b.id = sb.bulletin_id JOIN topics t ON t.id = b.topic_id
      WHERE sb.schedule_id IN (SELECT id FROM schedules WHERE commune_id = $1)
      GROUP BY sb.schedule_id, sb.version)
    SELECT p.id AS playback_id, p.scheduled_at, to_char((p.scheduled_at AT TIME ZONE ${zone})::date, 'YYYY-MM-DD') AS local_day,
      ${local('p.scheduled_at')} AS scheduled_local, ${local('p.started_at')} AS started_local, ${local('p.finished_at')} AS finished_local,
      p.village_id, v.name AS village_name, p.speaker_id, s.name AS speaker_name, p.schedule_id, sc.title AS schedule_title,
      pr.bulletins, pr.topics, pr.program_ms,
      CASE WHEN p.finished_at IS NOT NULL AND p.started_at IS NOT NULL
        THEN round(extract(epoch FROM p.finished_at - p.started_at) * 1000)::bigint END AS on_air_ms,
      p.priority, p.status, p.failure_code, p.failure_detail, p.evidence_level,
      ${local('p.confirmed_at')} AS confirmed_local, cu.display_name AS confirmed_by, p.confirmation_note,
      p.problem_kind, p.problem_note, ${local('p.problem_reported_at')} AS problem_local, pu.display_name AS problem_by
    FROM playbacks p
      JOIN villages v ON v.id = p.village_id
      JOIN speakers s ON s.id = p.speaker_id
      JOIN schedules sc ON sc.id = p.schedule_id
      LEFT JOIN program pr ON pr.schedule_id = p.schedule_id AND pr.version = p.program_version
      LEFT JOIN users cu ON cu.id = p.confirmed_by
      LEFT JOIN users pu ON pu.id = p.problem_reported_by
    WHERE ${where}${keyset}
    ORDER BY p.scheduled_at, p.id`;
  return { sql, params };
}
