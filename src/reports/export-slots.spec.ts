import { ExportSlots } from './export-slots';

describe('ExportSlots', () => {
  it('gives each account its own slots and refuses one past the limit', () => {
    const slots = new ExportSlots(2);
    expect(slots.take('an')).not.toBeNull();
    expect(slots.take('an')).not.toBeNull();
    expect(slots.take('an')).toBeNull();
    expect(slots.take('binh')).not.toBeNull();
  });

  it('frees a slot once, however often its release is called', () => {
    const slots = new ExportSlots(1);
    const free = slots.take('an')!;
    free();
    free();
    const again = slots.take('an');
    expect(again).not.toBeNull();
    expect(slots.take('an')).toBeNull();
  });
});
