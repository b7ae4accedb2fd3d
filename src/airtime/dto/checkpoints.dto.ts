import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';

export class CheckpointScopeDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this commune (within my scope); by default all of mine' })
  @IsOptional()
  @IsUUID('all', { message: 'communeId must be the id of a commune' })
  communeId?: string;
}

export class ExportCheckpointsDto extends CheckpointScopeDto {
  @ApiPropertyOptional({ description: 'ISO instant: signed at or after' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 instant' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO instant: signed before' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 instant' })
  to?: string;

  @ApiPropertyOptional({ description: "Continue after this checkpoint: a previous export's `next`" })
  @IsOptional()
  @Matches(/^[1-9]\d{0,17}$/, { message: "after must be a previous export's next (a checkpoint number)" })
  after?: string;
}
