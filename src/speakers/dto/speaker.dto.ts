import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsLatitude, IsLongitude, IsObject, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { PageNumber, PageSize } from '../../common/query-integer';
import { DRIVER_NAMES, DriverName } from '../drivers/speaker-driver';
import { SpeakerStatus } from '../speaker-status';

export class LocationDto {
  @ApiProperty({ example: 15.9621 })
  // Nest prefixes nested messages with the parent (`location.`), so the message names only the property.
  @IsLatitude({ message: '$property must be a latitude between -90 and 90' })
  lat: number;

  @ApiProperty({ example: 108.2634 })
  @IsLongitude({ message: '$property must be a longitude between -180 and 180' })
  lng: number;
}

export class CreateSpeakerDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'villageId must be the id of a village from GET /api/villages' })
  villageId: string;

  @ApiProperty({ example: 'Cụm loa nhà văn hóa thôn' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: DRIVER_NAMES })
  @IsIn(DRIVER_NAMES, { message: `driver must be one of ${DRIVER_NAMES.join(', ')}` })
  driver: DriverName;

  @ApiPropertyOptional({ description: 'Per driver: axis-vapix and http-gateway take {url}; manual takes nothing', example: { url: 'http://10.0.0.5' } })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Per driver: axis-vapix {username, password}, http-gateway {key}. Stored encrypted, never returned' })
  @IsOptional()
  @IsObject()
  secrets?: Record<string, unknown>;

  @ApiPropertyOptional({ type: LocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;

  @ApiPropertyOptional({ example: ['ven biển'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateSpeakerDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Moves the speaker to this village; it joins the slots planned there from the next occurrence' })
  @IsOptional()
  @IsUUID('all', { message: 'villageId must be the id of a village from GET /api/villages' })
  villageId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ description: 'Replaces the settings; validated against the speaker driver' })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Replaces the stored secrets' })
  @IsOptional()
  @IsObject()
  secrets?: Record<string, unknown>;

  @ApiPropertyOptional({ type: LocationDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  tags?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class ListSpeakersDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  villageId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  communeId?: string;

  @ApiPropertyOptional({ enum: SpeakerStatus })
  @IsOptional()
  @IsIn(Object.values(SpeakerStatus))
  status?: SpeakerStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 50)
  tag?: string;

  @PageNumber()
  page = 1;

  @PageSize(1000, 1000)
  pageSize = 1000;
}
