/** How many streamed exports each account runs at once in this process, refusing one past the limit. */
export class ExportSlots {
  private readonly running = new Map<string, number>();

  constructor(private readonly perUser: number) {}

  /** Takes one of `userId`'s slots and answers the function that frees it (once), or null when all are taken. */
  take(userId: string): (() => void) | null {
    const taken = this.running.get(userId) ?? 0;
    if (taken >= this.perUser) return null;
    this.running.set(userId, taken + 1);
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      const left = (this.running.get(userId) ?? 1) - 1;
      if (left === 0) this.running.delete(userId);
      else this.running.set(userId, left);
    };
  }
}
