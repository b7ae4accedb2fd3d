import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public('load balancers and monitoring probe it without an account')
  @ApiOperation({ summary: 'Whether PostgreSQL, Redis and ffmpeg are usable (200), or which are not (503)' })
  async get(@Res({ passthrough: true }) response: Response) {
    const report = await this.health.report();
    if (report.ok) return { status: 'ok', checks: report.checks };
    const failing = Object.entries(report.checks)
      .filter(([, result]) => !result.ok)
      .map(([name, result]) => `${name} (${result.error})`);
    response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      message: `Not usable: ${failing.join(', ')}`,
      checks: report.checks,
    };
  }
}
