import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { Page, readPage } from '../database/page';
import { AuthUser } from '../auth/auth-user';
import { communeScope, inScope, OutOfScopeException } from '../auth/scope';
import { Commune } from '../communes/commune.entity';
import { ComposedProgram, ScheduleComposer } from './schedule-composer';
import { CreateScheduleDto, ListSchedulesDto, ScheduleTargetsDto, UpdateScheduleDto } from './dto/schedule.dto';
import { DateTime } from 'luxon';
import { normaliseRrule, rruleTzid } from './recurrence';
import { RecurrenceError } from './recurrence-error';
import { ScheduleBulletin } from './schedule-bulletin.entity';
import { ScheduleChangeKind, ScheduleChanges } from './schedule-changes';
import { ScheduleHolds } from './schedule-holds';
import { scheduleFingerprint } from './schedule-fingerprint';
import { SchedulePriority } from './schedule-priority';
import { IllegalScheduleTransitionError, nextScheduleStatus, ScheduleAction, ScheduleStatus } from './schedule-status';
import { ScheduleTarget } from './schedule-target.entity';
import { ScheduleTimingCheck } from './timing-check';
import { Schedule } from './schedule.entity';
import { currentBulletinIds, ScheduleView, toScheduleView } from './schedule-view';

const DEFAULT_GRACE_SECONDS = 600;
const FINGERPRINT_INDEX = 'UQ_schedules_active_fingerprint';
/** Two edits of the bulletins racing both write the next program version: the second is refused by this key. */
const PROGRAM_VERSION_KEY = 'PK_schedule_bulletins';
const CHANGE_OF: Record<ScheduleAction, ScheduleChangeKind> = {
  [ScheduleAction.Pause]: 'paused',
  [ScheduleAction.Resume]: 'resumed',
  [ScheduleAction.Cancel]: 'cancelled',
};

/** Schedules: editors and admins write within their communes; approvers and viewers read them. */
@Injectable()
export class SchedulesService {
  constructor(
    @InjectRepository(Schedule) private readonly schedules: Repository<Schedule>,
    private readonly composer: ScheduleComposer,
    private readonly dataSource: DataSource,
    private readonly changes: ScheduleChanges,
    private readonly timingCheck: ScheduleTimingCheck,
    private readonly holds: ScheduleHolds,
  ) {}

  list(filter: ListSchedulesDto, caller: AuthUser): Promise<Page<ScheduleView>> {
    const scope = communeScope(caller);
    const query = this.schedules
      .createQueryBuilder('schedule')
      .leftJoinAndSelect('schedule.bulletins', 'item')
      .leftJoinAndSelect('schedule.targets', 'target')
      .leftJoinAndSelect('schedule.heldBulletin', 'heldBulletin')
      .orderBy('schedule.createdAt', 'DESC')
      .addOrderBy('schedule.id', 'ASC');
    if (scope !== null) query.andWhere('schedule.commune_id IN (:...scope)', { scope: scope.length ? scope : [null] });
    if (filter.communeId) query.andWhere('schedule.commune_id = :communeId', { communeId: filter.communeId });
    if (filter.status) query.andWhere('schedule.status = :status', { status: filter.status });
    return readPage(query, filter, toScheduleView);
  }

  /** The schedule with its program and targets if the caller may see it; the same 404 otherwise. */
  async find(id: string, caller: AuthUser): Promise<Schedule> {
    const schedule = await this.schedules.findOne({ where: { id }, relations: { bulletins: true, targets: true, heldBulletin: true } });
    if (!schedule || !inScope(communeScope(caller), schedule.communeId)) throw new OutOfScopeException(`No schedule has id ${id}`);
    return schedule;
  }

  async get(id: string, caller: AuthUser): Promise<ScheduleView> {
    return toScheduleView(await this.find(id, caller));
  }

  async create(dto: CreateScheduleDto, caller: AuthUser): Promise<ScheduleView> {
    const chime = dto.chime ?? false;
    const program = await this.composer.compose({ bulletinIds: dto.bulletinIds, targets: dto.targets, chime }, caller);
    const schedule = this.schedules.create({
      communeId: program.commune.id,
      title: dto.title.trim(),
      status: ScheduleStatus.Active,
      priority: dto.priority ?? SchedulePriority.Normal,
      misfireGraceSeconds: dto.misfireGraceSeconds ?? DEFAULT_GRACE_SECONDS,
      chime,
      validFrom: instant(dto.validFrom),
      validUntil: instant(dto.validUntil),
      createdBy: caller.id,
      updatedBy: caller.id,
      revision: 1,
      programVersion: 1,
    });
    this.applyTiming(schedule, { startsAt: dto.startsAt, rrule: dto.rrule, timezone: dto.timezone }, program.commune, true);
    await this.timingCheck.check(schedule, program.commune, program.programMs);
    return this.save(schedule, program, 'created');
  }

  /** An emergency broadcast as a schedule of priority `emergency` that starts now (see startNow), until `until` or its stop. */
  async createEmergency(
    input: { bulletinId: string; targets: ScheduleTargetsDto; repeatEveryMinutes?: number; until?: string },
    caller: AuthUser,
  ): Promise<ScheduleView> {
    const program = await this.composer.compose({ bulletinIds: [input.bulletinId], targets: input.targets, chime: false }, caller);
    const until = input.until ? new Date(input.until) : null;
    if (until && input.repeatEveryMinutes === undefined) throw new BadRequestException('until bounds the repeats: give it with repeatEveryMinutes');
    const timezone = program.commune.timezone;
    const schedule = this.schedules.create({
      communeId: program.commune.id,
      status: ScheduleStatus.Active,
      priority: SchedulePriority.Emergency,
      // A repeat that could not start within its own interval is stale: the next one carries the message.
      misfireGraceSeconds: Math.min(DEFAULT_GRACE_SECONDS, (input.repeatEveryMinutes ?? 10) * 60),
      chime: false,
      validFrom: null,
      validUntil: until,
      createdBy: caller.id,
      updatedBy: caller.id,
      revision: 1,
      programVersion: 1,
      timezone,
    });
    const startsAt = startNow(schedule, input.repeatEveryMinutes);
    if (until && until.getTime() <= startsAt.getTime()) throw new BadRequestException(`until ${input.until} is not in the future`);
    await this.timingCheck.check(schedule, program.commune, program.programMs);
    // The check may have waited for a recurrence thread: start from now again, so the first instant is not older than the saved schedule.
    startNow(schedule, input.repeatEveryMinutes);
    return this.save(schedule, program, 'created');
  }

  async update(id: string, dto: UpdateScheduleDto, caller: AuthUser): Promise<ScheduleView> {
    const schedule = await this.find(id, caller);
    if (schedule.status === ScheduleStatus.Cancelled) throw new ConflictException('A cancelled schedule cannot be changed; create a new one');
    let program: ComposedProgram | null = null;
    const chime = dto.chime ?? schedule.chime;
    if (dto.bulletinIds !== undefined || dto.targets !== undefined || dto.chime !== undefined) {
      const current = toScheduleView(schedule);
      program = await this.composer.compose({ bulletinIds: dto.bulletinIds ?? current.bulletinIds, targets: dto.targets ?? current.targets, chime }, caller);
      if (program.commune.id !== schedule.communeId) {
        throw new BadRequestException(
          `targets and bulletinIds must stay in the schedule's commune ${schedule.communeId}; create a new schedule for another commune`,
        );
      }
    }
    if (dto.title !== undefined) schedule.title = dto.title.trim();
    if (dto.priority !== undefined) schedule.priority = dto.priority;
    if (dto.misfireGraceSeconds !== undefined) schedule.misfireGraceSeconds = dto.misfireGraceSeconds;
    if (dto.validFrom !== undefined) schedule.validFrom = instant(dto.validFrom);
    if (dto.validUntil !== undefined) schedule.validUntil = instant(dto.validUntil);
    schedule.chime = chime;
    const timingGiven = dto.startsAt !== undefined || dto.rrule !== undefined || dto.timezone !== undefined;
    if (timingGiven || dto.validFrom !== undefined || dto.validUntil !== undefined || program !== null) {
      const commune = program?.commune ?? (await this.dataSource.getRepository(Commune).findOneByOrFail({ id: schedule.communeId }));
      if (timingGiven)
        this.applyTiming(
          schedule,
          { startsAt: dto.startsAt, rrule: dto.rrule, timezone: dto.timezone },
          commune,
          dto.startsAt !== undefined || dto.rrule !== undefined,
        );
      await this.timingCheck.check(schedule, commune, program?.programMs ?? schedule.programMs);
      // A timing that passes the checks is planned again: an edit is how a quarantined schedule comes back.
      schedule.quarantinedAt = null;
      schedule.quarantineReason = null;
    }
    schedule.updatedBy = caller.id;
    schedule.revision += 1;
    return this.save(schedule, program, 'updated');
  }

  async transition(id: string, action: ScheduleAction, caller: AuthUser): Promise<ScheduleView> {
    const schedule = await this.find(id, caller);
    try {
      schedule.status = nextScheduleStatus(schedule.status, action);
    } catch (error) {
      if (error instanceof IllegalScheduleTransitionError) throw new ConflictException(error.message);
      throw error;
    }
    if (action === ScheduleAction.Resume) await this.refuseUnapproved(schedule.id);
    // A resume lifts a hold: every bulletin of the program is approved again.
    const lifted = action === ScheduleAction.Resume ? { heldAt: null, holdCode: null, heldBulletinId: null } : {};
    // Only the row changes: saving the loaded relations again would rewrite the program for nothing.
    try {
      await this.schedules.update(schedule.id, { status: schedule.status, revision: schedule.revision + 1, updatedBy: caller.id, ...lifted });
    } catch (error) {
      // Resuming a schedule identical to one that is active now would air every slot twice.
      throw await this.duplicateOr(error, schedule);
    }
    await this.changes.publish({ kind: CHANGE_OF[action], scheduleId: schedule.id, communeId: schedule.communeId });
    return this.get(id, caller);
  }

  /** A 409 naming the bulletins of the program that are not approved: only approved content goes on air. */
  private async refuseUnapproved(scheduleId: string): Promise<void> {
    const unapproved = await this.holds.unapprovedInProgram(scheduleId);
    if (unapproved.length === 0) return;
    const names = unapproved.map((bulletin) => `"${bulletin.title}" (${bulletin.status})`).join(', ');
    throw new ConflictException({
      message:
        `This schedule cannot resume: its program has bulletins that are not approved: ${names}. ` +
        'Replace them in the program, or ask leadership to approve them again, then resume.',
      bulletinIds: unapproved.map((bulletin) => bulletin.id),
    });
  }

  /**
   * Sets startsAt or rrule (exactly one) and the zone: the given zone, else the rule's TZID, else the one the
   * schedule has, else the commune's.
   * `timingGiven` says the request replaces the timing; otherwise only the zone changes and the stored rule stays.
   */
  private applyTiming(schedule: Schedule, input: { startsAt?: string; rrule?: string; timezone?: string }, commune: Commune, timingGiven: boolean): void {
    if (input.startsAt !== undefined && input.rrule !== undefined) {
      throw new BadRequestException('give either startsAt (a one-off) or rrule (recurring), not both');
    }
    if (timingGiven && input.startsAt === undefined && input.rrule === undefined) {
      throw new BadRequestException(
        'give exactly one of startsAt (a one-off instant) or rrule (an RFC 5545 rule such as FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0)',
      );
    }
    try {
      const tzid = input.rrule !== undefined ? rruleTzid(input.rrule) : null;
      schedule.timezone = input.timezone ?? tzid ?? schedule.timezone ?? commune.timezone;
      if (input.startsAt !== undefined) {
        const startsAt = new Date(input.startsAt);
        if (startsAt.getTime() <= Date.now()) throw new BadRequestException(`startsAt ${input.startsAt} is in the past; a one-off must be in the future`);
        schedule.startsAt = startsAt;
        schedule.rrule = null;
      } else if (input.rrule !== undefined) {
        schedule.rrule = normaliseRrule(input.rrule, schedule.timezone, schedule.validFrom ?? new Date());
        schedule.startsAt = null;
      }
    } catch (error) {
      if (error instanceof RecurrenceError) throw new BadRequestException(error.message);
      throw error;
    }
    if (schedule.validFrom && schedule.validUntil && schedule.validFrom > schedule.validUntil) {
      throw new BadRequestException('validUntil must not be before validFrom');
    }
  }

  /**
   * Writes the schedule and, when recomposed, replaces its program and targets, in one transaction; then tells the
   * change feed (the replanner re-plans before this answers). The same content as another active schedule of the
   * commune is refused by the database's unique index on the fingerprint, with a 409 naming that schedule.
   */
  private async save(schedule: Schedule, program: ComposedProgram | null, kind: ScheduleChangeKind): Promise<ScheduleView> {
    if (schedule.validFrom && schedule.validUntil && schedule.validFrom > schedule.validUntil) {
      throw new BadRequestException('validUntil must not be before validFrom');
    }
    const current = program ? null : toScheduleView(schedule);
    schedule.fingerprint = scheduleFingerprint({
      ...schedule,
      bulletinIds: program?.bulletinIds ?? current!.bulletinIds,
      targets: program?.targets ?? current!.targets,
    });
    // A new schedule writes version 1; an edit that changes the bulletins writes the next version, keeping the older.
    const isNew = !schedule.id;
    const newProgram = program !== null && (isNew || !sameOrder(program.bulletinIds, currentBulletinIds(schedule)));
    if (newProgram && !isNew) schedule.programVersion += 1;
    const id = await this.dataSource
      .transaction(async (manager) => {
        const { bulletins: _items, targets: _targets, heldBulletin: _held, ...row } = schedule;
        if (program) row.programMs = program.programMs;
        const saved = await manager.getRepository(Schedule).save(row);
        if (newProgram) {
          await manager.insert(
            ScheduleBulletin,
            program.bulletinIds.map((bulletinId, position) => ({ scheduleId: saved.id, version: saved.programVersion, position, bulletinId })),
          );
        }
        if (program) {
          await manager.delete(ScheduleTarget, { scheduleId: saved.id });
          await manager.insert(ScheduleTarget, [
            ...program.targets.communeIds.map((communeId) => ({ scheduleId: saved.id, communeId })),
            ...program.targets.villageIds.map((villageId) => ({ scheduleId: saved.id, villageId })),
            ...program.targets.speakerIds.map((speakerId) => ({ scheduleId: saved.id, speakerId })),
          ]);
        }
        return saved.id;
      })
      .catch(async (error: unknown) => {
        throw await this.duplicateOr(error, schedule);
      });
    await this.changes.publish({ kind, scheduleId: id, communeId: schedule.communeId });
    const saved = await this.schedules.findOneOrFail({ where: { id }, relations: { bulletins: true, targets: true, heldBulletin: true } });
    return toScheduleView(saved);
  }

  /** A 409 naming the active schedule `schedule` duplicates when `error` is the fingerprint's unique violation; else `error`. */
  private async duplicateOr(error: unknown, schedule: Schedule): Promise<unknown> {
    const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : null;
    if (driverError?.code === '23505' && driverError.constraint === PROGRAM_VERSION_KEY) {
      return new ConflictException('Someone changed the bulletins of this schedule at the same moment; nothing was saved. Reload it and try again.');
    }
    if (driverError?.code !== '23505' || driverError.constraint !== FINGERPRINT_INDEX) return error;
    const existing = await this.schedules
      .createQueryBuilder('schedule')
      .where('schedule.commune_id = :communeId AND schedule.fingerprint = :fingerprint AND schedule.status = :active', {
        communeId: schedule.communeId,
        fingerprint: schedule.fingerprint,
        active: ScheduleStatus.Active,
      })
      .getOne();
    return new ConflictException({
      message:
        `This schedule is already active as "${existing?.title ?? schedule.title}" (${existing?.id ?? 'another schedule'}) with the same ` +
        'bulletins, targets, timing and options, so it would air every slot twice; nothing was saved. Open that schedule to change it.',
      scheduleId: existing?.id ?? null,
    });
  }
}

function sameOrder(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}

function instant(value: string | null | undefined): Date | null {
  return value ? new Date(value) : null;
}

/**
 * Sets an emergency broadcast to start now: the next whole second, plus one, so the planner's "not older than the
 * schedule" rule keeps it; a one-off, or every `repeatEveryMinutes` from then (a MINUTELY rule, which only this path
 * may store). Answers the first instant.
 */
function startNow(schedule: Schedule, repeatEveryMinutes: number | undefined): Date {
  const startsAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
  const local = DateTime.fromJSDate(startsAt, { zone: schedule.timezone });
  schedule.title = `Phát khẩn cấp ${local.toFormat('dd/LL/yyyy HH:mm')}`;
  if (repeatEveryMinutes === undefined) {
    schedule.startsAt = startsAt;
    schedule.rrule = null;
  } else {
    const dtstart = local.toFormat("yyyyLLdd'T'HHmmss");
    schedule.rrule = normaliseRrule(`DTSTART:${dtstart}\nRRULE:FREQ=MINUTELY;INTERVAL=${repeatEveryMinutes}`, schedule.timezone, startsAt, { allowMinutely: true });
    schedule.startsAt = null;
  }
  return startsAt;
}
