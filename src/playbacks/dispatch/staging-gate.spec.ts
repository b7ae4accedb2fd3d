import { StagingGate } from './staging-gate';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('StagingGate', () => {
  it('lets `width` in at once and the others in order, one for each that leaves', async () => {
    const gate = new StagingGate(2);
    const signal = new AbortController().signal;
    const entered: number[] = [];
    const exits = new Map<number, () => void>();
    for (const id of [1, 2, 3, 4])
      void gate.enter(signal).then((leave) => {
        entered.push(id);
        exits.set(id, leave);
      });
    await turn();
    expect(entered).toEqual([1, 2]);
    exits.get(2)!();
    await turn();
    expect(entered).toEqual([1, 2, 3]);
    exits.get(1)!();
    await turn();
    expect(entered).toEqual([1, 2, 3, 4]);
  });

  it('gives a place back once, however often its way out is taken', async () => {
    const gate = new StagingGate(1);
    const signal = new AbortController().signal;
    const leave = await gate.enter(signal);
    const entered: number[] = [];
    void gate.enter(signal).then(() => entered.push(2));
    void gate.enter(signal).then(() => entered.push(3));
    leave();
    leave();
    await turn();
    expect(entered).toEqual([2]);
  });

  it('turns away those still waiting when the stop comes, and keeps their places for nobody', async () => {
    const gate = new StagingGate(1);
    const stop = new AbortController();
    const leave = await gate.enter(new AbortController().signal);
    const waiting = gate.enter(stop.signal);
    stop.abort(new Error('the worker shut down'));
    await expect(waiting).rejects.toThrow('the worker shut down');
    await expect(gate.enter(stop.signal)).rejects.toThrow('the worker shut down');
    leave();
    const entered: number[] = [];
    void gate.enter(new AbortController().signal).then(() => entered.push(1));
    await turn();
    expect(entered).toEqual([1]);
  });
});
