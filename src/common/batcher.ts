interface Waiting<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Serves calls in batches, group-commit style: a call made while `parallel` batches are being served waits and goes
 * with the next batch, so batches grow by themselves under load; a call made when there is room is served on the
 * next turn of the event loop, with whatever else arrived in that turn. `serve` answers one output per input, in order.
 */
export class Batcher<In, Out> {
  private waiting: Array<Waiting<In, Out>> = [];
  private serving = 0;
  private scheduled = false;

  constructor(
    private readonly serve: (inputs: In[]) => Promise<Out[]>,
    private readonly parallel: number,
    private readonly maxBatch: number,
  ) {}

  call(input: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.serving >= this.parallel || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.serveNext();
    });
  }

  private async serveNext(): Promise<void> {
    if (this.serving >= this.parallel) return;
    const batch = this.waiting.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.serving++;
    this.schedule();
    try {
      const outputs = await this.serve(batch.map((waiting) => waiting.input));
      batch.forEach((waiting, index) => waiting.resolve(outputs[index]));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.serving--;
      this.schedule();
    }
  }
}
