import { ScheduleContent, scheduleFingerprint } from './schedule-fingerprint';

const base: ScheduleContent = {
  title: 'Bản tin sáng',
  bulletinIds: ['b1', 'b2'],
  targets: { communeIds: [], villageIds: ['v1', 'v2'], speakerIds: [] },
  startsAt: null,
  rrule: 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=6',
  timezone: 'Asia/Ho_Chi_Minh',
  priority: 'normal',
  misfireGraceSeconds: 600,
  validFrom: null,
  validUntil: null,
  chime: false,
};

describe('schedule fingerprint', () => {
  it('is the same for the same content, whatever the order of targets or spacing of the title', () => {
    const again = { ...base, title: '  Bản tin sáng ', targets: { communeIds: [], villageIds: ['v2', 'v1', 'v1'], speakerIds: [] } };
    expect(scheduleFingerprint(again)).toBe(scheduleFingerprint(base));
    expect(scheduleFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('compares instants as instants', () => {
    const oneOff = { ...base, rrule: null, startsAt: new Date('2026-12-01T06:00:00+07:00') };
    expect(scheduleFingerprint({ ...oneOff, startsAt: new Date('2026-11-30T23:00:00Z') })).toBe(scheduleFingerprint(oneOff));
  });

  it.each<[string, Partial<ScheduleContent>]>([
    ['title', { title: 'Bản tin chiều' }],
    ['bulletin order', { bulletinIds: ['b2', 'b1'] }],
    ['targets', { targets: { communeIds: [], villageIds: ['v1'], speakerIds: [] } }],
    ['a target of another kind with the same id', { targets: { communeIds: ['v1'], villageIds: ['v2'], speakerIds: [] } }],
    ['timing', { rrule: 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=17' }],
    ['zone', { timezone: 'Asia/Bangkok' }],
    ['priority', { priority: 'priority' }],
    ['grace', { misfireGraceSeconds: 60 }],
    ['validity', { validUntil: new Date('2026-12-31T00:00:00Z') }],
    ['chime', { chime: true }],
  ])('changes with the %s', (_what, change) => {
    expect(scheduleFingerprint({ ...base, ...change })).not.toBe(scheduleFingerprint(base));
  });
});
