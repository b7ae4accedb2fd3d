import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { bearerToken } from '../auth/caller-authentication';
import { Role } from '../auth/role';
import { AppConfig } from '../config/app-config';
import { audienceOf, sees } from './live-audience';
import { LiveChanges, LiveEvent } from './live-changes';
import { LiveRecheck } from './live-recheck';

/** A comment line every so often keeps proxies and phone networks from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;
/** A client that stopped reading: drop it rather than buffer for it; it reconnects and reloads. */
const MAX_BUFFERED_BYTES = 1_000_000;
/** What the browser waits before reconnecting after the stream ends. */
const RETRY_MS = 3000;

@ApiTags('live')
@ApiBearerAuth()
@Controller('live')
export class LiveController {
  constructor(
    private readonly changes: LiveChanges,
    private readonly recheck: LiveRecheck,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Allow(Role.Admin, Role.Editor, Role.Approver, Role.Viewer, Role.Operator)
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Server-sent events: playbacks and speaker states as they change, within the scope of GET /api/playbacks',
    description:
      'Events: `ready` (then load the lists through the REST API), `playback` (a playback view), `speaker` ({id, villageId, communeId, status, enabled, lastSeenAt}), ' +
      '`resync` (too much changed: reload the lists). The stream ends when the token expires, and within LIVE_RECHECK_SECONDS (30 s) ' +
      'of the account being disabled, signed out (this token or everywhere), its password changed, or its role or scope changed.',
  })
  stream(@Req() request: Request, @Res() response: Response, @CurrentUser() caller: AuthUser): void {
    const audience = audienceOf(caller);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    let open = true;
    const write = (text: string) => {
      if (!open) return;
      response.write(text);
      if (response.writableLength > MAX_BUFFERED_BYTES) close();
    };
    const forward = (event: LiveEvent) => {
      if (event.type === 'resync') write('event: resync\ndata: {}\n\n');
      else if (sees(audience, event.placed)) write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    };
    const unsubscribe = this.changes.subscribe({ send: forward, end: () => close() });
    const keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    // The stream may not outlive its token, nor the account's right to listen with the scope it opened with.
    const expiry = setTimeout(() => close(), Math.max(0, caller.tokenExpiresAt.getTime() - Date.now()));
    const token = bearerToken(request)!;
    let checking = false;
    const recheck = setInterval(() => {
      if (checking) return;
      checking = true;
      void this.recheck
        .verdict(token, caller)
        .then((verdict) => verdict === 'ended' && close())
        .finally(() => (checking = false));
    }, this.config.auth.liveRecheckSeconds * 1000);
    function close(): void {
      if (!open) return;
      open = false;
      clearInterval(keepAlive);
      clearInterval(recheck);
      clearTimeout(expiry);
      unsubscribe();
      response.end();
    }
    request.on('close', close);
    write(`retry: ${RETRY_MS}\nevent: ready\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
  }
}
