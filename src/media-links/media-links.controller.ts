import { Controller, Get, GoneException, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { DriverAudioCache } from '../speakers/drivers/driver-audio-cache';
import { MediaLinks } from './media-links.service';

const CONTENT_TYPES = { mp3: 'audio/mpeg', mulaw: 'audio/basic' } as const;

@ApiTags('media')
@Controller('media')
export class MediaLinksController {
  constructor(
    private readonly links: MediaLinks,
    private readonly audio: DriverAudioCache,
  ) {}

  @Get(':token')
  @Public('devices fetch audio with a signed, expiring link instead of an account')
  @ApiOperation({ summary: 'Bulletin audio for a device, by a signed link that expires; supports Range requests' })
  @ApiProduces('audio/mpeg', 'audio/basic')
  async fetch(@Param('token') token: string, @Res() response: Response) {
    const verdict = this.links.verify(token);
    if (!verdict.ok) {
      if (verdict.reason === 'expired') throw new GoneException('This audio link has expired');
      throw new NotFoundException('No audio at this link');
    }
    const { sha256, format } = verdict.claims;
    const path = await this.audio.pathFor(sha256, format).catch(() => {
      throw new NotFoundException('No audio at this link');
    });
    await new Promise<void>((resolve, reject) =>
      response.sendFile(
        path,
        {
          headers: { 'Content-Type': CONTENT_TYPES[format], ETag: `"${sha256}.${format}"`, 'Cache-Control': 'private, max-age=600' },
          etag: false,
          lastModified: false,
        },
        (error) => (error && !response.headersSent ? reject(error) : resolve()),
      ),
    );
  }
}
