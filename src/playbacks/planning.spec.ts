import { occurrencesBetween } from '../schedules/recurrence';
import { SchedulePriority } from '../schedules/schedule-priority';
import {
  DISPATCH_LEAD_MS,
  dispatchDelayMs,
  graceUntil,
  isPastGrace,
  msUntilNextMinute,
  occurrenceKey,
  planningWindow,
  planPlaybacks,
  PlanningSchedule,
  PlanningSpeaker,
  RELEASE_MARGIN_MS,
  releasedCandidates,
  releasedUntil,
  villageJobId,
  withoutNewcomers,
} from './planning';

const HOUR = 3_600_000;

function schedule(overrides: Partial<PlanningSchedule> = {}): PlanningSchedule {
  return {
    id: 'sch-1',
    communeId: 'commune-1',
    priority: SchedulePriority.Normal,
    misfireGraceSeconds: 600,
    programVersion: 1,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    startsAt: null,
    rrule: 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0',
    timezone: 'Asia/Ho_Chi_Minh',
    validFrom: null,
    validUntil: null,
    ...overrides,
  };
}

/** What the planner does for one schedule: expand its planning window, then one playback per speaker per occurrence. */
function planFor(planned: PlanningSchedule, targets: PlanningSpeaker[], now: Date, horizonMs: number) {
  const window = planningWindow(planned, now, horizonMs);
  return planPlaybacks(planned, targets, occurrencesBetween(planned, window.from, window.to));
}

const speakers = [
  { id: 'spk-a', villageId: 'v-1' },
  { id: 'spk-b', villageId: 'v-2' },
];

describe('planning math', () => {
  it('gives each village slot one deterministic job id', () => {
    const slot = { scheduleId: 's-1', scheduledAt: new Date('2026-03-01T23:00:00Z'), villageId: 'v-1' };
    expect(villageJobId(slot)).toBe(`village-s-1-${slot.scheduledAt.getTime()}-v-1`);
    expect(villageJobId({ ...slot, scheduledAt: new Date(slot.scheduledAt) })).toBe(villageJobId(slot));
    expect(villageJobId({ ...slot, villageId: 'v-2' })).not.toBe(villageJobId(slot));
  });

  it('fires the job a lead ahead of the instant, and at once when the instant is near or past', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(dispatchDelayMs(new Date(now.getTime() + 60_000), now, 1_500)).toBe(58_500);
    expect(dispatchDelayMs(new Date(now.getTime() + 1_000), now, 1_500)).toBe(0);
    expect(dispatchDelayMs(new Date(now.getTime() - 5_000), now, 1_500)).toBe(0);
  });

  it('counts the grace from the instant and is late only strictly after it', () => {
    const at = new Date('2026-03-01T06:00:00Z');
    const until = graceUntil(at, 600);
    expect(until.toISOString()).toBe('2026-03-01T06:10:00.000Z');
    expect(isPastGrace(until, until)).toBe(false);
    expect(isPastGrace(until, new Date(until.getTime() + 1))).toBe(true);
  });

  it('expands a daily 06:00 and 17:00 rule over 48 h into one playback per speaker per slot', () => {
    // 2026-03-01T00:00Z is 07:00 in Hà Nội: the next slots are 17:00, 06:00, 17:00, 06:00 (local).
    const now = new Date('2026-03-01T00:00:00Z');
    const plan = planFor(schedule(), speakers, now, 48 * HOUR);
    const instants = [...new Set(plan.map((playback) => playback.scheduledAt.toISOString()))];
    expect(instants).toEqual(['2026-03-01T10:00:00.000Z', '2026-03-01T23:00:00.000Z', '2026-03-02T10:00:00.000Z', '2026-03-02T23:00:00.000Z']);
    expect(plan).toHaveLength(8);
    expect(plan[0]).toEqual({
      scheduleId: 'sch-1',
      speakerId: 'spk-a',
      villageId: 'v-1',
      communeId: 'commune-1',
      priority: 'normal',
      programVersion: 1,
      scheduledAt: new Date('2026-03-01T10:00:00Z'),
      graceUntil: new Date('2026-03-01T10:10:00Z'),
    });
  });

  it('plans a one-off inside the horizon once, and nothing for one beyond it', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const soon = schedule({ rrule: null, startsAt: new Date(now.getTime() + HOUR) });
    expect(planFor(soon, speakers, now, 48 * HOUR)).toHaveLength(2);
    const later = schedule({ rrule: null, startsAt: new Date(now.getTime() + 49 * HOUR) });
    expect(planFor(later, speakers, now, 48 * HOUR)).toEqual([]);
  });

  it('still plans a slot that passed within its grace (service down), but not one older than the grace', () => {
    const now = new Date('2026-03-01T10:05:00Z'); // 17:05 local, five minutes after the 17:00 slot
    const within = planFor(schedule(), speakers, now, HOUR);
    expect(within.map((playback) => playback.scheduledAt.toISOString())).toContain('2026-03-01T10:00:00.000Z');
    const beyond = planFor(schedule({ misfireGraceSeconds: 120 }), speakers, now, HOUR);
    expect(beyond).toEqual([]);
  });

  it('never plans a slot from before the schedule existed', () => {
    const now = new Date('2026-03-01T10:05:00Z');
    const created = schedule({ createdAt: new Date('2026-03-01T10:03:00Z') });
    expect(planFor(created, speakers, now, HOUR)).toEqual([]);
  });

  it('plans nothing for a schedule whose targets have no speakers', () => {
    expect(planFor(schedule(), [], new Date('2026-03-01T00:00:00Z'), 48 * HOUR)).toEqual([]);
  });

  it('counts an occurrence released from a margin before its village jobs fire', () => {
    const now = new Date('2026-03-01T10:59:00Z');
    expect(releasedUntil(now).getTime()).toBe(now.getTime() + DISPATCH_LEAD_MS + RELEASE_MARGIN_MS);
  });

  it('asks the database only about the occurrences released or past, once each', () => {
    const now = new Date('2026-03-01T09:59:55Z'); // 5 s before the 17:00 local slot, which is released
    const plan = planFor(schedule(), speakers, now, 48 * HOUR);
    expect(releasedCandidates(plan, releasedUntil(now))).toEqual([{ scheduleId: 'sch-1', communeId: 'commune-1', scheduledAt: new Date('2026-03-01T10:00:00Z') }]);
    expect(releasedCandidates(plan, new Date('2026-03-01T09:00:00Z'))).toEqual([]);
  });

  it('leaves newcomers out of an occurrence released with its speakers, and plans a fresh one whole', () => {
    const now = new Date('2026-03-01T09:59:55Z');
    const plan = planFor(schedule(), [...speakers, { id: 'spk-new', villageId: 'v-1' }], now, 48 * HOUR);
    const released = new Set([occurrenceKey('sch-1', new Date('2026-03-01T10:00:00Z'))]);
    const inserted = withoutNewcomers(plan, released);
    expect(inserted.filter((row) => row.scheduledAt.toISOString() === '2026-03-01T10:00:00.000Z')).toEqual([]);
    expect(inserted.filter((row) => row.scheduledAt.toISOString() === '2026-03-01T23:00:00.000Z').map((row) => row.speakerId)).toEqual([
      'spk-a',
      'spk-b',
      'spk-new',
    ]);
    expect(withoutNewcomers(plan, new Set())).toEqual(plan);
  });

  it('ticks on the next whole minute', () => {
    expect(msUntilNextMinute(new Date('2026-03-01T00:00:59.250Z'))).toBe(750);
    expect(msUntilNextMinute(new Date('2026-03-01T00:01:00.000Z'))).toBe(60_000);
  });
});
