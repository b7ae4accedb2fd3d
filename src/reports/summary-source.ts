import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { reportConditions } from './report-conditions';
import { ReportRequest } from './report-request';
import { ProgramVersion } from '../schedules/program';
import { PlaybackCount, programKey, ProgramTopic } from './summary-aggregation';

/** One grouping per dimension the summary tallies (see PlaybackCount). */
const GROUPING_SETS =
  '((local_day, schedule_id, program_version, status), (village_id, schedule_id, program_version, status), (priority, schedule_id, program_version, status), (status, reason))';

/** Reads what a summary is computed from: playback counts, the programs they aired, village names. */
@Injectable()
export class SummarySource {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * From the daily rollup, unless speakers are filtered: the rollup has no speaker dimension (it would be a
   * thousand times larger), so a speaker filter aggregates the raw playbacks instead.
   */
  async counts(request: ReportRequest): Promise<PlaybackCount[]> {
    return request.speakerIds.length ? this.countsFromPlaybacks(request) : this.countsFromRollup(request);
  }

  async countsFromRollup(request: ReportRequest): Promise<PlaybackCount[]> {
    const { where, params } = reportConditions(request, 'r', 'rollup');
    return this.rows(
      `SELECT to_char(r.local_day, 'YYYY-MM-DD') AS "localDay", r.village_id AS "villageId", r.priority, r.schedule_id AS "scheduleId",
         r.program_version AS "programVersion", r.status, r.reason, sum(r.playbacks)::int AS playbacks
       FROM report_daily r WHERE ${where} AND r.playbacks > 0
       GROUP BY GROUPING SETS ${GROUPING_SETS}`,
      params,
    );
  }

  /** The same counts from the raw playbacks: the speaker-filtered path, and the reference the rollup must equal. */
  async countsFromPlaybacks(request: ReportRequest): Promise<PlaybackCount[]> {
    const { where, params } = reportConditions(request, 'p', 'playbacks');
    const zone = `$${params.push(request.commune.timezone)}`;
    return this.rows(
      `SELECT to_char(local_day, 'YYYY-MM-DD') AS "localDay", village_id AS "villageId", priority, schedule_id AS "scheduleId",
         program_version AS "programVersion", status, reason, count(*)::int AS playbacks
       FROM (SELECT (p.scheduled_at AT TIME ZONE ${zone})::date AS local_day, p.village_id, p.priority, p.schedule_id, p.program_version, p.status,
               coalesce(p.failure_code, '') AS reason
             FROM playbacks p WHERE ${where}) r
       GROUP BY GROUPING SETS ${GROUPING_SETS}`,
      params,
    );
  }

  /** Each program version as minutes per topic (a bulletin's rendition duration, else its original's), by programKey. */
  async programs(versions: ProgramVersion[]): Promise<Map<string, ProgramTopic[]>> {
    const rows = (await this.dataSource.query(
      `SELECT sb.schedule_id, sb.version, b.topic_id, t.name AS topic_name, sum(coalesce(b.duration_ms, b.original_duration_ms))::bigint AS duration_ms
       FROM schedule_bulletins sb JOIN bulletins b ON b.id = sb.bulletin_id JOIN topics t ON t.id = b.topic_id
       WHERE (sb.schedule_id, sb.version) IN (SELECT * FROM unnest($1::uuid[], $2::int[])) GROUP BY 1, 2, 3, 4`,
      [versions.map((program) => program.scheduleId), versions.map((program) => program.version)],
    )) as Array<{ schedule_id: string; version: number; topic_id: string; topic_name: string; duration_ms: string }>;
    const programs = new Map<string, ProgramTopic[]>();
    for (const row of rows) {
      const key = programKey(row.schedule_id, row.version);
      const topics = programs.get(key) ?? [];
      topics.push({ topicId: row.topic_id, topicName: row.topic_name, durationMs: Number(row.duration_ms) });
      programs.set(key, topics);
    }
    return programs;
  }

  async villages(request: ReportRequest): Promise<Array<{ id: string; name: string }>> {
    return (await this.dataSource.query(`SELECT id, name FROM villages WHERE commune_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) ORDER BY name`, [
      request.commune.id,
      request.villageIds,
    ])) as Array<{ id: string; name: string }>;
  }

  private async rows(sql: string, params: unknown[]): Promise<PlaybackCount[]> {
    const rows = (await this.dataSource.query(sql, params)) as PlaybackCount[];
    return rows.map((row) => ({ ...row, playbacks: Number(row.playbacks) }));
  }
}
