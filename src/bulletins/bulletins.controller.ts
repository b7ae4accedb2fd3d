import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { AudioStore } from '../storage/audio-store';
import { mediaTypeOfOriginal } from './audio-media-type';
import { BulletinIntakeService } from './bulletin-intake.service';
import { BulletinsService } from './bulletins.service';
import { AudioVariantDto } from './dto/audio-variant.dto';
import { ListBulletinsDto } from './dto/list-bulletins.dto';
import { RejectBulletinDto } from './dto/reject-bulletin.dto';

/** Who may read the library: everyone but village operators, within their communes. */
const LIBRARY_READERS = [Role.Admin, Role.Editor, Role.Approver, Role.Viewer];

@ApiTags('bulletins')
@ApiBearerAuth()
@Controller('bulletins')
export class BulletinsController {
  constructor(
    private readonly library: BulletinsService,
    private readonly intake: BulletinIntakeService,
    private readonly store: AudioStore,
  ) {}

  @Post()
  @Allow(Role.Admin, Role.Editor)
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
        communeId: { type: 'string', format: 'uuid' },
        language: { type: 'string', example: 'vi' },
        notes: { type: 'string' },
      },
    },
  })
  upload(@Req() request: Request, @CurrentUser() caller: AuthUser) {
    return this.intake.upload(request, caller);
  }

  @Get()
  @Allow(...LIBRARY_READERS)
  @ApiOperation({ summary: 'The bulletin library of my communes, newest first' })
  list(@Query() filter: ListBulletinsDto, @CurrentUser() caller: AuthUser) {
    return this.library.list(filter, caller);
  }

  @Get(':id')
  @Allow(...LIBRARY_READERS)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.library.get(id, caller);
  }

  @Get(':id/audio')
  @Allow(...LIBRARY_READERS)
  @ApiOperation({ summary: 'The broadcast rendition (MP3), or ?variant=original; supports Range requests for seeking' })
  @ApiProduces('audio/mpeg', 'application/octet-stream')
  async audio(@Param('id', ParseUUIDPipe) id: string, @Query() query: AudioVariantDto, @Res() response: Response, @CurrentUser() caller: AuthUser) {
    const bulletin = await this.library.get(id, caller);
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
  @Allow(Role.Admin, Role.Approver)
  @ApiOperation({ summary: 'Approve a ready bulletin for air' })
  approve(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.library.approve(id, caller);
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @Allow(Role.Admin, Role.Approver)
  @ApiOperation({ summary: 'Reject a bulletin with a reason the culture office can act on' })
  reject(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RejectBulletinDto, @CurrentUser() caller: AuthUser) {
    return this.library.reject(id, dto.reason, caller);
  }

  @Post(':id/archive')
  @HttpCode(HttpStatus.OK)
  @Allow(Role.Admin, Role.Editor, Role.Approver)
  @ApiOperation({ summary: 'Archive a bulletin: it stays in the records but can no longer be scheduled' })
  archive(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.library.archive(id, caller);
  }
}
