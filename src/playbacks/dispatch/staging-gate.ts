/**
 * How many villages stage at once: loading their playbacks, preparing audio, taking leases, committing attempts, the
 * work that uses PostgreSQL, Redis and ffmpeg. A village leaves the gate once staged and waits for its instant outside
 * it, so the villages due at one instant never wait for each other's instant, however many they are. First come, first
 * staged: jobs arrive in the order they are due.
 */
export class StagingGate {
  private inside = 0;
  private readonly waiting: Array<{ admit: () => void }> = [];

  constructor(private readonly width: number) {}

  /** Resolves with the way out once there is room; rejects with the signal's reason if it is aborted first. */
  enter(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.inside < this.width) return Promise.resolve(this.admitted());
    return new Promise((resolve, reject) => {
      const waiter = {
        admit: () => {
          signal.removeEventListener('abort', abandon);
          resolve(this.admitted());
        },
      };
      const abandon = (): void => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', abandon, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** One place taken; its way out gives it back once, however often it is called. */
  private admitted(): () => void {
    this.inside++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inside--;
      this.waiting.shift()?.admit();
    };
  }
}
