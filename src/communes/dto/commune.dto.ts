import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsTimeZone, IsUUID, Length, Max, Min } from 'class-validator';

export class CreateCommuneDto {
  @ApiProperty({ example: 'Xã Việt An' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: '20434', description: 'Administrative code, unique' })
  @IsOptional() @IsString() @Length(1, 32)
  code?: string;

  @ApiPropertyOptional({ example: 'Asia/Ho_Chi_Minh', default: 'Asia/Ho_Chi_Minh' })
  @IsOptional() @IsTimeZone({ message: 'timezone must be an IANA zone such as Asia/Ho_Chi_Minh' })
  timezone?: string;

  @ApiPropertyOptional({ example: 2700, default: 2700, description: 'Longest program of one session, in seconds (default 45 min)' })
  @IsOptional()
  @IsInt({ message: 'maxSessionSeconds must be a whole number of seconds' })
  @Min(60, { message: 'maxSessionSeconds must be at least 60' })
  @Max(14400, { message: 'maxSessionSeconds must be at most 14400 (4 hours)' })
  maxSessionSeconds?: number;
}

export class UpdateCommuneDto extends PartialType(CreateCommuneDto) {}

export class CreateVillageDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'communeId must be the id of a commune' })
  communeId: string;

  @ApiProperty({ example: 'Thôn Phú Mỹ' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @Length(1, 32)
  code?: string;
}

export class UpdateVillageDto {
  @ApiPropertyOptional({ example: 'Thôn Phú Mỹ' })
  @IsOptional() @IsString() @Length(1, 200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @Length(1, 32)
  code?: string;
}

export class ListVillagesDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  communeId?: string;
}
