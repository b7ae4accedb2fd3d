import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsTimeZone, IsUUID, Length, Max, Min } from 'class-validator';
import { PageNumber, PageSize } from '../../common/query-integer';

export class CreateCommuneDto {
  @ApiProperty({ example: 'Xã Việt An' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: '20434', description: 'Administrative code, unique' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  code?: string;

  @ApiPropertyOptional({ example: 'Asia/Ho_Chi_Minh', default: 'Asia/Ho_Chi_Minh' })
  @IsOptional()
  @IsTimeZone({ message: 'timezone must be an IANA zone such as Asia/Ho_Chi_Minh' })
  timezone?: string;

  @ApiPropertyOptional({ example: 2700, default: 2700, description: 'Longest program of one session, in seconds (default 45 min)' })
  @IsOptional()
  @IsInt({ message: 'maxSessionSeconds must be a whole number of seconds' })
  @Min(60, { message: 'maxSessionSeconds must be at least 60' })
  @Max(14400, { message: 'maxSessionSeconds must be at most 14400 (4 hours)' })
  maxSessionSeconds?: number;

  @ApiPropertyOptional({ example: 5, default: 5, description: 'Least time between two occurrences of one schedule, in minutes' })
  @IsOptional()
  @IsInt({ message: 'minOccurrenceSpacingMinutes must be a whole number of minutes' })
  @Min(1, { message: 'minOccurrenceSpacingMinutes must be at least 1' })
  @Max(1440, { message: 'minOccurrenceSpacingMinutes must be at most 1440 (a day)' })
  minOccurrenceSpacingMinutes?: number;

  @ApiPropertyOptional({ example: 48, default: 48, description: 'Most occurrences of one schedule in a day (emergency repeats excepted)' })
  @IsOptional()
  @IsInt({ message: 'maxOccurrencesPerDay must be a whole number' })
  @Min(1, { message: 'maxOccurrencesPerDay must be at least 1' })
  @Max(1440, { message: 'maxOccurrencesPerDay must be at most 1440' })
  maxOccurrencesPerDay?: number;
}

export class UpdateCommuneDto extends PartialType(CreateCommuneDto) {}

export class CreateVillageDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'communeId must be the id of a commune' })
  communeId: string;

  @ApiProperty({ example: 'Thôn Phú Mỹ' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 32)
  code?: string;
}

export class UpdateVillageDto {
  @ApiPropertyOptional({ example: 'Thôn Phú Mỹ' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 32)
  code?: string;
}

export class ListCommunesDto {
  @PageNumber()
  page = 1;

  @PageSize(1000, 1000)
  pageSize = 1000;
}

export class ListVillagesDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  communeId?: string;

  @PageNumber()
  page = 1;

  @PageSize(1000, 1000)
  pageSize = 1000;
}
