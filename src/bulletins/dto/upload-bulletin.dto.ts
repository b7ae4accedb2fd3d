import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

/** Text fields of the multipart upload (the audio itself comes in `file`). */
export class UploadBulletinDto {
  @ApiProperty({ example: 'Hướng dẫn cài đặt VNeID mức 2' })
  @IsString()
  @Length(1, 200, { message: 'title must be 1 to 200 characters' })
  title: string;

  @ApiProperty({ description: 'Id of an active topic (GET /api/topics)', format: 'uuid' })
  @IsUUID('all', { message: 'topic must be the id of a topic from GET /api/topics' })
  topic: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The commune it is for; may be left out by someone who works for one commune only' })
  @IsOptional()
  @IsUUID('all', { message: 'communeId must be the id of a commune from GET /api/communes' })
  communeId?: string;

  @ApiPropertyOptional({ example: 'vi', description: 'Language of the speech (BCP 47 tag), default vi' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'language must be a language tag such as vi or vi-VN' })
  language?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  notes?: string;
}

export const UPLOAD_TEXT_FIELDS = ['title', 'topic', 'communeId', 'language', 'notes'] as const;
