import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { BulletinStatus } from '../bulletin-status';

export class ListBulletinsDto {
  @ApiPropertyOptional({ enum: BulletinStatus })
  @IsOptional() @IsEnum(BulletinStatus)
  status?: BulletinStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  topic?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this commune (within my scope)' })
  @IsOptional() @IsUUID()
  communeId?: string;

  @ApiPropertyOptional({ description: 'Words to find in the title (case and accent insensitive)' })
  @IsOptional() @IsString() @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  page = 1;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  pageSize = 20;
}
