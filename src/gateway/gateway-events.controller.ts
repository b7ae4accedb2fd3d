import { Controller, HttpCode, HttpStatus, Post, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '../auth/access.decorators';
import { GatewayEventsService } from './gateway-events.service';

@ApiTags('gateway')
@Controller('gateway')
export class GatewayEventsController {
  constructor(private readonly events: GatewayEventsService) {}

  @Post('events')
  @HttpCode(HttpStatus.ACCEPTED)
  @Public('gateways sign each event with their own HMAC key instead of signing in')
  @ApiOperation({
    summary: 'A gateway reports that a playback started, finished or failed',
    description: 'Body `{playbackId, event, at, reason?, nonce}`, signed: `X-Loa-Signature: sha256=HMAC(key, "<timestamp>.<body>")`.',
  })
  @ApiQuery({ name: 'speaker', description: 'The gateway speaker id, as configured on the gateway' })
  @ApiHeader({ name: 'X-Loa-Timestamp', description: 'Unix milliseconds' })
  @ApiHeader({ name: 'X-Loa-Signature', description: 'sha256=<hex>' })
  async receive(@Query('speaker') speakerId: string | undefined, @Req() request: RawBodyRequest<Request>) {
    const record = await this.events.receive({
      speakerId,
      timestamp: request.headers['x-loa-timestamp'],
      signature: request.headers['x-loa-signature'],
      body: request.rawBody,
    });
    return { accepted: true, id: record.id };
  }
}
