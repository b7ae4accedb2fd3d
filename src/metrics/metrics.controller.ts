import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Public } from '../auth/access.decorators';
import { METRICS_REGISTRY } from './metrics-registry';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Public('Prometheus scrapes it without an account; it holds only aggregate counts and timings, no names, ids or content')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics: playback lateness histogram, outcomes, retries, village start spread, playbacks by status' })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
