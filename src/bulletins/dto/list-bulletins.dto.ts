import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageNumber, PageSize } from '../../common/query-integer';
import { BulletinStatus } from '../bulletin-status';

export class ListBulletinsDto {
  @ApiPropertyOptional({ enum: BulletinStatus })
  @IsOptional()
  @IsEnum(BulletinStatus)
  status?: BulletinStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  topic?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this commune (within my scope)' })
  @IsOptional()
  @IsUUID()
  communeId?: string;

  @ApiPropertyOptional({ description: 'Words to find in the title (case and accent insensitive)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @PageNumber()
  page = 1;

  @PageSize(100, 20)
  pageSize = 20;
}
