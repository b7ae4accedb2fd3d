/**
 * Closes a worker, letting running jobs finish for `graceMs`; past that, `stopRunning` is called so they end
 * (and are put back or recorded by their processor), and the close completes once they have.
 */
export async function closeWithGrace(worker: { close(): Promise<void> }, graceMs: number, stopRunning: () => void): Promise<void> {
  const closing = worker.close();
  const graceOver = new Promise<'grace-over'>((resolve) => setTimeout(() => resolve('grace-over'), graceMs).unref());
  if ((await Promise.race([closing, graceOver])) === 'grace-over') {
    stopRunning();
    await closing;
  }
}
