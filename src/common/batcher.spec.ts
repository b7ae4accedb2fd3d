import { Batcher } from './batcher';

/** A serve function whose batches are answered when the test says so. */
function gatedServe(): { serve: (inputs: number[]) => Promise<number[]>; batches: number[][]; release: () => void } {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  return {
    batches,
    serve: (inputs) => {
      batches.push(inputs);
      return new Promise((resolve) => gates.push(() => resolve(inputs.map((input) => input * 10))));
    },
    release: () => {
      for (const open of gates.splice(0)) open();
    },
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Batcher', () => {
  it('serves the calls of one turn together, and those made while it serves as the next batch', async () => {
    const gated = gatedServe();
    const batcher = new Batcher(gated.serve, 1, 100);
    const first = [1, 2, 3].map((n) => batcher.call(n));
    await turn();
    const second = [4, 5].map((n) => batcher.call(n));
    await turn();
    expect(gated.batches).toEqual([[1, 2, 3]]);
    gated.release();
    expect(await Promise.all(first)).toEqual([10, 20, 30]);
    await turn();
    expect(gated.batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    gated.release();
    expect(await Promise.all(second)).toEqual([40, 50]);
  });

  it('serves up to `parallel` batches at once, each at most `maxBatch` calls', async () => {
    const gated = gatedServe();
    const batcher = new Batcher(gated.serve, 2, 2);
    const calls = [1, 2, 3, 4, 5].map((n) => batcher.call(n));
    await turn();
    await turn();
    expect(gated.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    gated.release();
    await turn();
    await turn();
    expect(gated.batches).toEqual([[1, 2], [3, 4], [5]]);
    gated.release();
    expect(await Promise.all(calls)).toEqual([10, 20, 30, 40, 50]);
  });

  it('rejects every call of a batch that failed, and serves the next ones', async () => {
    let fail = true;
    const batcher = new Batcher<number, number>(
      async (inputs) => {
        if (fail) throw new Error('the database went away');
        return inputs;
      },
      1,
      10,
    );
    const failed = [1, 2].map((n) => batcher.call(n));
    await expect(Promise.all(failed)).rejects.toThrow('the database went away');
    await expect(failed[1]).rejects.toThrow('the database went away');
    fail = false;
    expect(await batcher.call(3)).toBe(3);
  });
});
