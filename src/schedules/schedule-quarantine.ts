import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';

/**
 * Sets a schedule aside when the planner cannot expand its rule (refused by the checks, or past its budget): the
 * schedule keeps its status, is not planned, says why in the API and the console, and leaves an audit entry. Every
 * other schedule goes on planning. An edit of the timing that passes the checks lifts it (SchedulesService.update).
 */
@Injectable()
export class ScheduleQuarantine {
  private readonly logger = new Logger(ScheduleQuarantine.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Quarantines the schedule unless it already is; answers whether this call did. */
  async quarantine(scheduleId: string, reason: string): Promise<boolean> {
    const [rows] = (await this.dataSource.query(
      `UPDATE schedules SET quarantined_at = now(), quarantine_reason = $2, updated_at = now()
        WHERE id = $1 AND quarantined_at IS NULL RETURNING commune_id`,
      [scheduleId, reason],
    )) as [Array<{ commune_id: string }>, number];
    if (rows.length === 0) return false;
    this.logger.error({ scheduleId, reason }, 'Schedule quarantined: its rule cannot be expanded, so it is not planned');
    await this.audit.record({
      action: 'schedule.quarantine',
      resourceType: 'schedule',
      resourceId: scheduleId,
      outcome: 'success',
      details: { communeId: rows[0].commune_id, reason },
    });
    return true;
  }
}
