import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, IsTimeZone, IsUUID, Length } from 'class-validator';

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
