import { evidenceRecord } from './playback-evidence';

describe('playback evidence record', () => {
  const commandedAt = new Date('2026-03-01T10:00:00.000Z');

  it('keeps one item per bulletin and takes the weakest level of the program', () => {
    const record = evidenceRecord([
      { bulletinId: 'b1', evidence: { level: 'device_reported', commandedAt, finishedAt: new Date('2026-03-01T10:01:00Z'), device: { status: 200 } } },
      { bulletinId: 'b2', evidence: { level: 'acknowledged', commandedAt, acknowledgedAt: commandedAt, device: {} } },
    ]);
    expect(record.level).toBe('acknowledged');
    expect(record.items).toEqual([
      { bulletinId: 'b1', level: 'device_reported', commandedAt: '2026-03-01T10:00:00.000Z', finishedAt: '2026-03-01T10:01:00.000Z', device: { status: 200 } },
      { bulletinId: 'b2', level: 'acknowledged', commandedAt: '2026-03-01T10:00:00.000Z', acknowledgedAt: '2026-03-01T10:00:00.000Z', device: {} },
    ]);
  });

  it('keeps the note of a manual cluster awaiting its operator', () => {
    const record = evidenceRecord([{ bulletinId: 'b1', evidence: { level: 'commanded', commandedAt, device: {}, note: 'Awaiting the operator' } }]);
    expect(record).toEqual({
      level: 'commanded',
      items: [{ bulletinId: 'b1', level: 'commanded', commandedAt: '2026-03-01T10:00:00.000Z', device: {}, note: 'Awaiting the operator' }],
    });
  });

  it('locates each item of a one-stream program by its offset', () => {
    const finishedAt = new Date('2026-03-01T10:00:50.000Z');
    const record = evidenceRecord([
      { bulletinId: 'chime', evidence: { level: 'device_reported', commandedAt, offsetMs: 0, finishedAt, device: { status: 200 } } },
      { bulletinId: 'b1', evidence: { level: 'device_reported', commandedAt, offsetMs: 5_000, finishedAt, device: { status: 200 } } },
    ]);
    expect(record.level).toBe('device_reported');
    expect(record.items.map((item) => [item.bulletinId, item.offsetMs])).toEqual([
      ['chime', 0],
      ['b1', 5_000],
    ]);
  });
});
