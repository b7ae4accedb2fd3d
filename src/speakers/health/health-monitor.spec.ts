import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { SpeakerHealthCheck } from '../speaker-health-check.entity';
import { Speaker } from '../speaker.entity';
import { HEALTH_SWEEP_TIMER, HealthSweepReport, SpeakerHealthMonitor } from './health-monitor';
import { SpeakerHealthService } from './speaker-health.service';

describe('SpeakerHealthMonitor timer', () => {
  const INTERVAL_SECONDS = 60;
  let monitor: SpeakerHealthMonitor;
  let scheduler: SchedulerRegistry;
  let sweepOnce: jest.SpyInstance<Promise<HealthSweepReport>>;
  let logged: { error: jest.SpyInstance; log: jest.SpyInstance };

  beforeEach(() => {
    logged = { error: jest.spyOn(Logger.prototype, 'error').mockImplementation(), log: jest.spyOn(Logger.prototype, 'log').mockImplementation() };
    jest.useFakeTimers({ now: 125_500 });
    scheduler = new SchedulerRegistry();
    const config = { speakers: { healthMonitor: true, healthIntervalSeconds: INTERVAL_SECONDS, healthConcurrency: 20 } } as AppConfig;
    monitor = new SpeakerHealthMonitor(
      {} as Repository<Speaker>,
      {} as Repository<SpeakerHealthCheck>,
      {} as DataSource,
      {} as SpeakerHealthService,
      config,
      scheduler,
    );
    sweepOnce = jest.spyOn(monitor, 'sweepOnce').mockResolvedValue({ swept: false, reason: 'another instance is sweeping' });
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('sweeps at the start of every round, aligned on the clock, and stops at shutdown', async () => {
    monitor.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(54_499);
    expect(sweepOnce).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(sweepOnce).toHaveBeenCalledTimes(1);
    expect(Date.now()).toBe(180_000);
    await jest.advanceTimersByTimeAsync(INTERVAL_SECONDS * 1000);
    expect(sweepOnce).toHaveBeenCalledTimes(2);
    expect(scheduler.getTimeouts()).toEqual([HEALTH_SWEEP_TIMER]);

    await monitor.beforeApplicationShutdown();
    expect(scheduler.getTimeouts()).toEqual([]);
    await jest.advanceTimersByTimeAsync(10 * INTERVAL_SECONDS * 1000);
    expect(sweepOnce).toHaveBeenCalledTimes(2);
  });

  it('keeps its rhythm after a sweep that failed', async () => {
    sweepOnce.mockRejectedValueOnce(new Error('database restarting'));
    monitor.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(54_500 + INTERVAL_SECONDS * 1000);

    expect(sweepOnce).toHaveBeenCalledTimes(2);
    expect(logged.error).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.objectContaining({ message: 'database restarting' }) }),
      'Speaker health sweep failed',
    );
    await monitor.beforeApplicationShutdown();
  });

  it('does not start when switched off', async () => {
    const off = { speakers: { healthMonitor: false, healthIntervalSeconds: INTERVAL_SECONDS, healthConcurrency: 20 } } as AppConfig;
    monitor = new SpeakerHealthMonitor(
      {} as Repository<Speaker>,
      {} as Repository<SpeakerHealthCheck>,
      {} as DataSource,
      {} as SpeakerHealthService,
      off,
      scheduler,
    );
    sweepOnce = jest.spyOn(monitor, 'sweepOnce').mockResolvedValue({ swept: false, reason: 'another instance is sweeping' });
    monitor.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(10 * INTERVAL_SECONDS * 1000);

    expect(sweepOnce).not.toHaveBeenCalled();
    expect(scheduler.getTimeouts()).toEqual([]);
    expect(logged.log).toHaveBeenCalledWith('Speaker health monitor is off (SPEAKER_HEALTH_MONITOR)');
  });
});
