import { Logger } from '@nestjs/common';
import { Lease, SpeakerLeases } from '../speaker-lease';

/** How often a village's holders check that their leases are still their own (an emergency or a stop may take them). */
export const LEASE_WATCH_MS = 250;

export const TAKEN_OVER = 'the speaker was taken over by an emergency broadcast or a stop';

/** One watched holder: the signal its driver calls get, and whether its lease was lost (rather than the worker stopping). */
export interface Holding {
  readonly signal: AbortSignal;
  readonly lost: boolean;
}

interface Held extends Holding {
  lease: Lease;
  controller: AbortController;
  lost: boolean;
}

/**
 * Watches every lease a village job holds with one MGET per interval (not one GET per speaker), and aborts the
 * play of each holder whose lease was taken over or revoked, also when that happened from another process. The
 * worker's stop signal aborts every holder through one listener, so a holder costs no listener of its own: a
 * village's burst of driver calls stays cheap.
 */
export class LeaseWatch {
  private readonly logger = new Logger(LeaseWatch.name);
  private readonly held = new Map<string, Held>();
  private readonly timer: NodeJS.Timeout;
  private checking = false;
  private readonly onStop: () => void;

  constructor(
    private readonly leases: SpeakerLeases,
    private readonly stopping: AbortSignal,
  ) {
    this.timer = setInterval(() => void this.check(), LEASE_WATCH_MS);
    this.timer.unref();
    this.onStop = () => {
      for (const held of this.held.values()) held.controller.abort(stopping.reason);
    };
    stopping.addEventListener('abort', this.onStop, { once: true });
  }

  /** Starts watching `lease`; the holding's signal aborts once it is lost or the worker stops. */
  add(speakerId: string, lease: Lease): Holding {
    const controller = new AbortController();
    const held: Held = { lease, controller, lost: false, signal: controller.signal };
    if (this.stopping.aborted) controller.abort(this.stopping.reason);
    this.held.set(speakerId, held);
    return held;
  }

  remove(speakerId: string): void {
    this.held.delete(speakerId);
  }

  stop(): void {
    clearInterval(this.timer);
    this.stopping.removeEventListener('abort', this.onStop);
    this.held.clear();
  }

  private async check(): Promise<void> {
    if (this.checking || this.held.size === 0) return;
    this.checking = true;
    const watched = [...this.held].map(([speakerId, held]) => ({ speakerId, lease: held.lease, held }));
    try {
      const mine = await this.leases.stillHeld(watched);
      watched.forEach(({ speakerId, held }, index) => {
        if (mine[index] || this.held.get(speakerId) !== held) return;
        held.lost = true;
        held.controller.abort(new Error(TAKEN_OVER));
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not check the speaker leases');
    } finally {
      this.checking = false;
    }
  }
}
