import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageNumber, PageSize } from '../../common/query-integer';
import { SCHEDULE_PRIORITIES, SchedulePriority } from '../schedule-priority';
import { SCHEDULE_STATUSES, ScheduleStatus } from '../schedule-status';

const MAX_TARGETS = 500;

/** May be left out, but not sent as null: null would mean "clear", which these fields cannot be. */
const Omittable = () => ValidateIf((_object, value) => value !== undefined);

export class ScheduleTargetsDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Every speaker of these communes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGETS)
  @IsUUID('all', { each: true, message: '$property must hold ids of communes' })
  communeIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Every speaker of these villages' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGETS)
  @IsUUID('all', { each: true, message: '$property must hold ids of villages' })
  villageIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGETS)
  @IsUUID('all', { each: true, message: '$property must hold ids of speakers' })
  speakerIds?: string[];
}

export class CreateScheduleDto {
  @ApiProperty({ example: 'Bản tin sáng và chiều' })
  @IsString()
  @Length(1, 200, { message: 'title must be 1 to 200 characters' })
  title: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Approved bulletins of the commune, in the order they play' })
  @IsArray({ message: 'bulletinIds must be a list of bulletin ids' })
  @ArrayMinSize(1, { message: 'bulletinIds must name at least one approved bulletin' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'bulletinIds must hold ids of bulletins' })
  bulletinIds: string[];

  @ApiProperty({ type: ScheduleTargetsDto })
  @IsDefined({ message: 'targets must be given: {communeIds?, villageIds?, speakerIds?}' })
  @IsObject({ message: 'targets must be an object {communeIds?, villageIds?, speakerIds?}' })
  @ValidateNested()
  @Type(() => ScheduleTargetsDto)
  targets: ScheduleTargetsDto;

  @ApiPropertyOptional({ example: '2026-12-01T06:00:00+07:00', description: 'A one-off instant; give this or rrule' })
  @Omittable()
  @IsISO8601({ strict: true }, { message: 'startsAt must be an ISO 8601 instant with its offset, e.g. 2026-12-01T06:00:00+07:00' })
  startsAt?: string;

  @ApiPropertyOptional({ example: 'FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0', description: 'RFC 5545 RRULE in local time; give this or startsAt' })
  @Omittable()
  @IsString()
  @Length(1, 2000)
  rrule?: string;

  @ApiPropertyOptional({ example: 'Asia/Ho_Chi_Minh', description: "Default: the commune's zone" })
  @Omittable()
  @IsTimeZone({ message: 'timezone must be an IANA zone such as Asia/Ho_Chi_Minh' })
  timezone?: string;

  @ApiPropertyOptional({ enum: SCHEDULE_PRIORITIES, default: SchedulePriority.Normal })
  @Omittable()
  @IsIn(SCHEDULE_PRIORITIES, { message: `priority must be one of ${SCHEDULE_PRIORITIES.join(', ')}` })
  priority?: SchedulePriority;

  @ApiPropertyOptional({ default: 600 })
  @Omittable()
  @IsInt({ message: 'misfireGraceSeconds must be a whole number of seconds' })
  @Min(0, { message: 'misfireGraceSeconds must be at least 0' })
  @Max(86400, { message: 'misfireGraceSeconds must be at most 86400 (a day)' })
  misfireGraceSeconds?: number;

  @ApiPropertyOptional({ default: false, description: 'Play the pre-announcement chime first' })
  @Omittable()
  @IsBoolean({ message: 'chime must be true or false' })
  chime?: boolean;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+07:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'validFrom must be an ISO 8601 instant' })
  validFrom?: string | null;

  @ApiPropertyOptional({ example: '2026-12-31T23:59:59+07:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'validUntil must be an ISO 8601 instant' })
  validUntil?: string | null;
}

/** Every field optional; validFrom/validUntil accept null to clear them. */
export class UpdateScheduleDto {
  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @Length(1, 200, { message: 'title must be 1 to 200 characters' })
  title?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @Omittable()
  @IsArray({ message: 'bulletinIds must be a list of bulletin ids' })
  @ArrayMinSize(1, { message: 'bulletinIds must name at least one approved bulletin' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'bulletinIds must hold ids of bulletins' })
  bulletinIds?: string[];

  @ApiPropertyOptional({ type: ScheduleTargetsDto })
  @Omittable()
  @IsObject({ message: 'targets must be an object {communeIds?, villageIds?, speakerIds?}' })
  @ValidateNested()
  @Type(() => ScheduleTargetsDto)
  targets?: ScheduleTargetsDto;

  @ApiPropertyOptional({ description: 'Makes the schedule a one-off (clears rrule)' })
  @Omittable()
  @IsISO8601({ strict: true }, { message: 'startsAt must be an ISO 8601 instant with its offset, e.g. 2026-12-01T06:00:00+07:00' })
  startsAt?: string;

  @ApiPropertyOptional({ description: 'Makes the schedule recurring (clears startsAt)' })
  @Omittable()
  @IsString()
  @Length(1, 2000)
  rrule?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsTimeZone({ message: 'timezone must be an IANA zone such as Asia/Ho_Chi_Minh' })
  timezone?: string;

  @ApiPropertyOptional({ enum: SCHEDULE_PRIORITIES })
  @Omittable()
  @IsIn(SCHEDULE_PRIORITIES, { message: `priority must be one of ${SCHEDULE_PRIORITIES.join(', ')}` })
  priority?: SchedulePriority;

  @ApiPropertyOptional()
  @Omittable()
  @IsInt({ message: 'misfireGraceSeconds must be a whole number of seconds' })
  @Min(0, { message: 'misfireGraceSeconds must be at least 0' })
  @Max(86400, { message: 'misfireGraceSeconds must be at most 86400 (a day)' })
  misfireGraceSeconds?: number;

  @ApiPropertyOptional()
  @Omittable()
  @IsBoolean({ message: 'chime must be true or false' })
  chime?: boolean;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'validFrom must be an ISO 8601 instant' })
  validFrom?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'validUntil must be an ISO 8601 instant' })
  validUntil?: string | null;
}

export class ListSchedulesDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'communeId must be the id of a commune' })
  communeId?: string;

  @ApiPropertyOptional({ enum: SCHEDULE_STATUSES })
  @IsOptional()
  @IsIn(SCHEDULE_STATUSES, { message: `status must be one of ${SCHEDULE_STATUSES.join(', ')}` })
  status?: ScheduleStatus;

  @PageNumber()
  page = 1;

  @PageSize(500, 100)
  pageSize = 100;
}

export class OccurrencesQueryDto {
  @ApiPropertyOptional({ description: 'ISO instant, default now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 instant' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO instant, default from + 7 days; at most 31 days after from' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 instant' })
  to?: string;
}
