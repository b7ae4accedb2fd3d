import { ReportRequest } from './report-request';

/** A WHERE clause and its parameters, built from a report's filters for a table aliased `alias`. */
export interface SqlConditions {
  where: string;
  params: unknown[];
}

/**
 * Filters on raw `playbacks` (`alias.scheduled_at` within the commune's local days) or on `report_daily`
 * (`alias.local_day`). Playbacks carry a topic when the version of their schedule's program they aired holds a
 * bulletin of it.
 */
export function reportConditions(request: ReportRequest, alias: string, source: 'playbacks' | 'rollup', params: unknown[] = []): SqlConditions {
  const clauses: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  clauses.push(`${alias}.commune_id = ${param(request.commune.id)}`);
  if (source === 'rollup') {
    clauses.push(`${alias}.local_day BETWEEN ${param(request.from)}::date AND ${param(request.to)}::date`);
  } else {
    const zone = param(request.commune.timezone);
    clauses.push(`${alias}.scheduled_at >= (${param(request.from)}::date)::timestamp AT TIME ZONE ${zone}`);
    clauses.push(`${alias}.scheduled_at < (${param(request.to)}::date + 1)::timestamp AT TIME ZONE ${zone}`);
  }
  if (request.villageIds) clauses.push(`${alias}.village_id = ANY(${param(request.villageIds)}::uuid[])`);
  if (request.speakerIds.length) clauses.push(`${alias}.speaker_id = ANY(${param(request.speakerIds)}::uuid[])`);
  if (request.priorities.length) clauses.push(`${alias}.priority = ANY(${param(request.priorities)}::text[])`);
  if (request.statuses.length) clauses.push(`${alias}.status = ANY(${param(request.statuses)}::text[])`);
  if (request.topicIds.length) {
    clauses.push(`(${alias}.schedule_id, ${alias}.program_version) IN (SELECT sb.schedule_id, sb.version FROM schedule_bulletins sb JOIN bulletins b ON b.id = sb.bulletin_id
      WHERE b.topic_id = ANY(${param(request.topicIds)}::uuid[]))`);
  }
  return { where: clauses.join(' AND '), params };
}
