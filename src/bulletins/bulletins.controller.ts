import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AudioStore } from '../storage/audio-store';
import { mediaTypeOfOriginal } from './audio-media-type';
import { BulletinIntakeService } from './bulletin-intake.service';
import { BulletinsService } from './bulletins.service';
import { AudioVariantDto } from './dto/audio-variant.dto';
import { ListBulletinsDto } from './dto/list-bulletins.dto';
import { RejectBulletinDto } from './dto/reject-bulletin.dto';

@ApiTags('bulletins')
@Controller('bulletins')
export class BulletinsController {
  constructor(
    private readonly library: BulletinsService,
    private readonly intake: BulletinIntakeService,
    private readonly store: AudioStore,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Upload a bulletin',
    description:
      'Streams the audio to the server, checks it is usable audio and stores it; rendering then runs in the background ' +
      '(status processing → ready or failed). The same audio uploaded twice answers 409 with the existing bulletinId.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'title', 'topic'],
      properties: {
        file: { type: 'string', format: 'binary' },
        title: { type: 'string', example: 'Hướng dẫn cài đặt VNeID mức 2' },
        topic: { type: 'string', format: 'uuid' },
        language: { type: 'string', example: 'vi' },
        notes: { type: 'string' },
      },
    },
  })
  upload(@Req() request: Request) {
    return this.intake.upload(request);
  }

  @Get()
  @ApiOperation({ summary: 'The bulletin library, newest first' })
  list(@Query() filter: ListBulletinsDto) {
    return this.library.list(filter);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.library.get(id);
  }

  @Get(':id/audio')
  @ApiOperation({ summary: 'The broadcast rendition (MP3), or ?variant=original; supports Range requests for seeking' })
  @ApiProduces('audio/mpeg', 'application/octet-stream')
  async audio(@Param('id', ParseUUIDPipe) id: string, @Query() query: AudioVariantDto, @Res() response: Response) {
    const bulletin = await this.library.get(id);
    const original = query.variant === 'original';
    const sha256 = original ? bulletin.originalSha256 : bulletin.renditionSha256;
    if (!sha256) throw new NotFoundException(`The bulletin is ${bulletin.status}; its broadcast audio is not ready`);
    const headers: Record<string, string> = {
      'Content-Type': original ? mediaTypeOfOriginal(bulletin.originalFormat) : 'audio/mpeg',
      ETag: `"${sha256}"`,
      // Content-addressed: the bytes behind this ETag never change.
      'Cache-Control': 'private, max-age=31536000, immutable',
    };
    if (original) headers['Content-Disposition'] = `inline; filename*=UTF-8''${encodeURIComponent(bulletin.originalFilename)}`;
    await new Promise<void>((resolve, reject) =>
      response.sendFile(this.store.pathOf(original ? 'originals' : 'renditions', sha256), { headers, etag: false, lastModified: false }, (error) =>
        error && !response.headersSent ? reject(error) : resolve(),
      ),
    );
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve a ready bulletin for air' })
  approve(@Param('id', ParseUUIDPipe) id: string) {
    return this.library.approve(id);
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject a bulletin with a reason the culture office can act on' })
  reject(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RejectBulletinDto) {
    return this.library.reject(id, dto.reason);
  }

  @Post(':id/archive')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Archive a bulletin: it stays in the records but can no longer be scheduled' })
  archive(@Param('id', ParseUUIDPipe) id: string) {
    return this.library.archive(id);
  }
}
