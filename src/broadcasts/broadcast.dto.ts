import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsISO8601, IsObject, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { ScheduleTargetsDto } from '../schedules/dto/schedule.dto';

export class EmergencyBroadcastDto {
  @ApiProperty({ format: 'uuid', description: 'An approved bulletin of the commune' })
  @IsUUID('all', { message: 'bulletinId must be the id of an approved bulletin' })
  bulletinId: string;

  @ApiProperty({ type: ScheduleTargetsDto })
  @IsDefined({ message: 'targets must be given: {communeIds?, villageIds?, speakerIds?}' })
  @IsObject({ message: 'targets must be an object {communeIds?, villageIds?, speakerIds?}' })
  @ValidateNested()
  @Type(() => ScheduleTargetsDto)
  targets: ScheduleTargetsDto;

  @ApiPropertyOptional({ example: 60, description: 'Repeat every N minutes (1 to 1440) until `until` or a stop' })
  @IsOptional()
  @IsInt({ message: 'repeatEveryMinutes must be a whole number of minutes' })
  @Min(1, { message: 'repeatEveryMinutes must be at least 1' })
  @Max(1440, { message: 'repeatEveryMinutes must be at most 1440 (a day)' })
  repeatEveryMinutes?: number;

  @ApiPropertyOptional({ example: '2026-12-01T18:00:00+07:00', description: 'Last instant a repeat may start (with repeatEveryMinutes)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 instant with its offset' })
  until?: string;
}
