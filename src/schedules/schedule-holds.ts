import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { BulletinStatus } from '../bulletins/bulletin-status';
import { ScheduleHoldCode } from './schedule-hold';
import { ScheduleStatus } from './schedule-status';

const REJECTED: ScheduleHoldCode = 'bulletin_rejected';
const ARCHIVED: ScheduleHoldCode = 'bulletin_archived';

/** A schedule this run held, and why. */
export interface HeldSchedule {
  id: string;
  communeId: string;
  code: ScheduleHoldCode;
  bulletinId: string;
}

/** A bulletin of a program in force that may not air. */
export interface UnapprovedBulletin {
  id: string;
  title: string;
  status: BulletinStatus;
}

/**
 * Holds the schedules whose program in force names a bulletin leadership rejected or archived: status `paused`, with
 * when, why and the first such bulletin, so the console says why and the planner withdraws what of it waited. The
 * planner runs it on every planning run (a rejection asks for one at once), so a hold never depends on the process
 * that took the rejection living on. A hold is lifted only by an editor's resume, once every bulletin is approved
 * again (SchedulesService.transition): approving a bulletin again does not put schedules back on air by itself.
 */
@Injectable()
export class ScheduleHolds {
  private readonly logger = new Logger(ScheduleHolds.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Holds every active or paused schedule, not held yet, of these communes (all if none given) that names a withdrawn bulletin. */
  async holdWithdrawn(communeIds?: string[]): Promise<HeldSchedule[]> {
    const params: unknown[] = [
      [ScheduleStatus.Active, ScheduleStatus.Paused],
      [BulletinStatus.Rejected, BulletinStatus.Archived],
      BulletinStatus.Archived,
      ARCHIVED,
      REJECTED,
      ScheduleStatus.Paused,
    ];
    const scoped = communeIds ? `AND s2.commune_id = ANY($${params.push(communeIds)}::uuid[])` : '';
    const [rows] = (await this.dataSource.query(
      `UPDATE schedules s SET status = $6, held_at = now(), hold_code = h.code, held_bulletin_id = h.bulletin_id, revision = s.revision + 1, updated_at = now()
         FROM (SELECT DISTINCT ON (sb.schedule_id) sb.schedule_id, b.id AS bulletin_id, CASE WHEN b.status = $3 THEN $4 ELSE $5 END AS code
                 FROM schedules s2
                 JOIN schedule_bulletins sb ON sb.schedule_id = s2.id AND sb.version = s2.program_version
                 JOIN bulletins b ON b.id = sb.bulletin_id
                WHERE s2.status = ANY($1) AND s2.held_at IS NULL AND b.status = ANY($2) ${scoped}
                ORDER BY sb.schedule_id, sb.position) h
        WHERE s.id = h.schedule_id AND s.held_at IS NULL
        RETURNING s.id, s.commune_id AS "communeId", s.hold_code AS code, s.held_bulletin_id AS "bulletinId"`,
      params,
    )) as [HeldSchedule[], number];
    for (const held of rows) {
      this.logger.warn(held, 'Schedule held: a bulletin of its program is no longer approved');
      await this.audit.record({
        action: 'schedule.hold',
        resourceType: 'schedule',
        resourceId: held.id,
        outcome: 'success',
        details: { communeId: held.communeId, code: held.code, bulletinId: held.bulletinId },
      });
    }
    return rows;
  }

  /** The bulletins of the schedule's program in force that are not approved, in program order. */
  async unapprovedInProgram(scheduleId: string): Promise<UnapprovedBulletin[]> {
    return (await this.dataSource.query(
      `SELECT id, title, status FROM (
         SELECT DISTINCT ON (b.id) b.id, b.title, b.status, sb.position FROM schedules s
           JOIN schedule_bulletins sb ON sb.schedule_id = s.id AND sb.version = s.program_version
           JOIN bulletins b ON b.id = sb.bulletin_id
          WHERE s.id = $1 AND b.status <> $2 ORDER BY b.id, sb.position) first_place
        ORDER BY position`,
      [scheduleId, BulletinStatus.Approved],
    )) as UnapprovedBulletin[];
  }
}
