import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, Public } from '../auth/access.decorators';
import { Role } from '../auth/role';
import { Dependency, DEPENDENCIES, HealthService } from './health.service';

type Verdict = 'ok' | 'unavailable';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public('load balancers and monitoring probe it without an account')
  @ApiOperation({
    summary: 'Whether PostgreSQL, Redis and ffmpeg are usable (200), or which are not (503): only "ok" or "unavailable" for each',
  })
  async get(@Res({ passthrough: true }) response: Response) {
    const report = await this.health.report();
    const checks = Object.fromEntries(DEPENDENCIES.map((name) => [name, report.checks[name].ok ? 'ok' : 'unavailable'])) as Record<Dependency, Verdict>;
    if (report.ok) return { status: 'ok', checks };
    const failing = DEPENDENCIES.filter((name) => !report.checks[name].ok);
    response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: `Not usable: ${failing.join(', ')}`, checks };
  }

  @Get('details')
  @Allow(Role.Admin)
  @ApiOperation({ summary: "The same checks with their reasons, ffmpeg's version and when it was last probed (admins)" })
  async details() {
    const report = await this.health.report();
    return { status: report.ok ? 'ok' : 'unavailable', checks: report.checks };
  }
}
