import { Injectable, Logger } from '@nestjs/common';

export type ScheduleChangeKind = 'created' | 'updated' | 'paused' | 'resumed' | 'cancelled';

/** A committed change of a schedule, as its listeners hear it. */
export interface ScheduleChange {
  kind: ScheduleChangeKind;
  scheduleId: string;
  communeId: string;
}

export type ScheduleChangeListener = (change: ScheduleChange) => Promise<void>;

/**
 * The feed of committed schedule changes, published by SchedulesService after each commit. Publishing waits for
 * every listener, so when a request that changed a schedule answers, its plan has already followed (the replanner
 * listens). A listener that fails is logged and does not fail the change: the planner's tick is the safety net.
 */
@Injectable()
export class ScheduleChanges {
  private readonly logger = new Logger(ScheduleChanges.name);
  private readonly listeners = new Set<ScheduleChangeListener>();

  /** Adds a listener; call the returned function to remove it. */
  subscribe(listener: ScheduleChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publish(change: ScheduleChange): Promise<void> {
    await Promise.all(
      [...this.listeners].map((listener) =>
        listener(change).catch((error: unknown) => this.logger.error({ err: error, ...change }, 'A schedule change listener failed')),
      ),
    );
  }
}
