import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Runs `run` once after `ms`, registered as `name` in Nest's SchedulerRegistry, replacing that name's previous
 * timeout (one that fired stays registered until deleted). Re-armed after each run, it is a timer whose runs
 * never overlap.
 */
export function setNamedTimeout(registry: SchedulerRegistry, name: string, ms: number, run: () => void): void {
  clearNamedTimer(registry, 'timeout', name);
  registry.addTimeout(name, setTimeout(run, ms));
}

/** `run` every `ms`, registered as `name` in Nest's SchedulerRegistry. */
export function setNamedInterval(registry: SchedulerRegistry, name: string, ms: number, run: () => void): void {
  clearNamedTimer(registry, 'interval', name);
  registry.addInterval(name, setInterval(run, ms));
}

/** Stops and forgets the timer registered as `name`, if there is one. */
export function clearNamedTimer(registry: SchedulerRegistry, kind: 'timeout' | 'interval', name: string): void {
  if (!registry.doesExist(kind, name)) return;
  if (kind === 'timeout') registry.deleteTimeout(name);
  else registry.deleteInterval(name);
}
