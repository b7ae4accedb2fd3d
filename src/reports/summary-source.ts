import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { reportConditions } from './report-conditions';
import { FilterNames, ReportRequest } from './report-request';
import { ProgramVersion } from '../schedules/program';
import { PlaybackCount, programKey, ProgramTopic, SUMMARY_GROUPING_SETS, withProblemReports } from './summary-aggregation';
import { PlaybackRepository } from '../playbacks/playback-repository';

/** Reads what a summary is computed from: playback counts, the programs they aired, village names. */
@Injectable()
export class SummarySource {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly playbacks: PlaybackRepository,
  ) {}

  /**
   * From the daily rollup, unless speakers are filtered: the rollup has no speaker dimension (it would be a
   * thousand times larger), so a speaker filter aggregates the raw playbacks instead (PlaybackRepository.summaryCounts).
   */
  async counts(request: ReportRequest): Promise<PlaybackCount[]> {
    const [counts, reported] = await Promise.all([
      request.speakerIds.length ? this.playbacks.summaryCounts(request) : this.countsFromRollup(request),
      this.playbacks.problemReportedPlays(request),
    ]);
    return withProblemReports(counts, reported);
  }

  async countsFromRollup(request: ReportRequest): Promise<PlaybackCount[]> {
    const { where, params } = reportConditions(request, 'r', 'rollup');
    return this.rows(
      `SELECT to_char(r.local_day, 'YYYY-MM-DD') AS "localDay", r.village_id AS "villageId", r.priority, r.schedule_id AS "scheduleId",
         r.program_version AS "programVersion", r.status, r.reason, sum(r.playbacks)::int AS playbacks
       FROM report_daily r WHERE ${where} AND r.playbacks > 0
       GROUP BY GROUPING SETS ${SUMMARY_GROUPING_SETS}`,
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

  /** The names of the filtered villages (all of the commune's when not filtered), topics and speakers, for the report's heading. */
  async filterNames(request: ReportRequest): Promise<FilterNames> {
    const names = async (table: string, ids: string[]) =>
      ids.length
        ? ((await this.dataSource.query(`SELECT name FROM ${table} WHERE id = ANY($1::uuid[]) ORDER BY name`, [ids])) as Array<{ name: string }>).map(
            (row) => row.name,
          )
        : [];
    const [villages, topics, speakers] = await Promise.all([
      request.villageIds ? names('villages', request.villageIds) : null,
      names('topics', request.topicIds),
      names('speakers', request.speakerIds),
    ]);
    return { villages, topics, speakers };
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
