import { Logger } from '@nestjs/common';
import { Lease, SpeakerLeases } from '../speaker-lease';

/** How often the holders check that their leases are still their own (an emergency or a stop may take them). */
export const LEASE_WATCH_MS = 250;
/** Leases asked about per round trip: a province's instant holds tens of thousands. */
const WATCH_CHUNK = 1_000;

export const TAKEN_OVER = 'the speaker was taken over by an emergency broadcast or a stop';

/** One watched holder: the signal its driver calls get, and whether its lease was lost (rather than the worker stopping). */
export interface Holding {
  readonly signal: AbortSignal;
  readonly lost: boolean;
}

interface Held extends Holding {
  speakerId: string;
  lease: Lease;
  controller: AbortController;
  lost: boolean;
}

/**
 * Watches every lease the worker process holds, for all its villages, with one MGET per thousand leases per interval
 * (not one per village, nor one GET per speaker), and aborts the play of each holder whose lease was taken over or
 * revoked, also when that happened from another process. Holders are known by their playback: an emergency that
 * takes a speaker over in this process is watched beside the holder it interrupts. The worker's stop signal aborts
 * every holder through one listener, so a holder costs no listener of its own: a village's burst of driver calls
 * stays cheap.
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

  /** Starts watching the lease `playbackId` holds on its speaker; the holding's signal aborts once it is lost or the worker stops. */
  add(playbackId: string, speakerId: string, lease: Lease): Holding {
    const controller = new AbortController();
    const held: Held = { speakerId, lease, controller, lost: false, signal: controller.signal };
    if (this.stopping.aborted) controller.abort(this.stopping.reason);
    this.held.set(playbackId, held);
    return held;
  }

  remove(playbackId: string): void {
    this.held.delete(playbackId);
  }

  stop(): void {
    clearInterval(this.timer);
    this.stopping.removeEventListener('abort', this.onStop);
    this.held.clear();
  }

  private async check(): Promise<void> {
    if (this.checking || this.held.size === 0) return;
    this.checking = true;
    const watched = [...this.held].map(([playbackId, held]) => ({ playbackId, speakerId: held.speakerId, lease: held.lease, held }));
    try {
      for (let start = 0; start < watched.length; start += WATCH_CHUNK) {
        const chunk = watched.slice(start, start + WATCH_CHUNK);
        const mine = await this.leases.stillHeld(chunk);
        chunk.forEach(({ playbackId, held }, index) => {
          if (mine[index] || this.held.get(playbackId) !== held) return;
          held.lost = true;
          held.controller.abort(new Error(TAKEN_OVER));
        });
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not check the speaker leases');
    } finally {
      this.checking = false;
    }
  }
}
