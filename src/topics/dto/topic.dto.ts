import { ApiPropertyOptional, ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PageNumber, PageSize } from '../../common/query-integer';

export class CreateTopicDto {
  @ApiProperty({ example: 'Chuyển đổi số trong doanh nghiệp' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional({ description: 'Position in lists; lower comes first' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  sortOrder?: number;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      "The commune the topic belongs to. Left out: the caller's only commune (editors), or a topic shared by every commune (admins). " +
      'null: shared by every commune (admins only).',
  })
  @IsOptional()
  @IsUUID('all', { message: 'communeId must be the id of a commune (GET /api/communes), or null for a topic every commune shares' })
  communeId?: string | null;
}

/** A topic stays in its commune: moving it would change the topic of another commune's bulletins. */
export class UpdateTopicDto extends PartialType(OmitType(CreateTopicDto, ['communeId'] as const)) {
  @ApiPropertyOptional({ description: 'An inactive topic is kept for old bulletins but cannot be chosen for new ones' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListTopicsDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: inactive topics too' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'includeInactive must be true or false' })
  includeInactive?: 'true' | 'false';

  @PageNumber()
  page = 1;

  @PageSize(1000, 1000)
  pageSize = 1000;
}
