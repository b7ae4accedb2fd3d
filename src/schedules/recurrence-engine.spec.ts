import { AppConfig } from '../config/app-config';
import { normaliseRrule, occurrencesBetween, ScheduleTiming } from './recurrence';
import { RecurrenceError } from './recurrence-error';
import { RecurrenceBudgetError, RecurrenceEngine } from './recurrence-engine';

const HCM = 'Asia/Ho_Chi_Minh';
const timing = (rrule: string): ScheduleTiming => ({ startsAt: null, rrule, timezone: HCM, validFrom: null, validUntil: null });
const from = new Date('2026-12-01T00:00:00Z');
const to = new Date('2026-12-08T00:00:00Z');

describe('RecurrenceEngine', () => {
  const engine = new RecurrenceEngine({ recurrence: { budgetMs: 300, threads: 1 } } as AppConfig);
  afterAll(() => engine.onModuleDestroy());

  it('expands on a thread exactly as occurrencesBetween does', async () => {
    const daily = timing(normaliseRrule('FREQ=DAILY;BYHOUR=6,17', HCM, new Date('2026-01-01T00:00:00Z')));
    await expect(engine.between(daily, from, to)).resolves.toEqual(occurrencesBetween(daily, from, to));
    await expect(engine.first(daily, from, to)).resolves.toEqual(occurrencesBetween(daily, from, to)[0]);
  });

  it('answers a one-off and a rule with no occurrence in the window', async () => {
    const oneOff: ScheduleTiming = { ...timing(''), rrule: null, startsAt: new Date('2026-12-02T00:00:00Z') };
    await expect(engine.first(oneOff, from, to)).resolves.toMatchObject({ at: oneOff.startsAt });
    const over = timing('DTSTART:20260101T060000\nRRULE:FREQ=DAILY;COUNT=3');
    await expect(engine.first(over, from, to)).resolves.toBeNull();
  });

  it("walks an emergency broadcast's repeats without a thread, so an emergency never waits for one", async () => {
    // No thread can start in this engine: anything sent to one fails.
    const threadless = new RecurrenceEngine({ recurrence: { budgetMs: 300, threads: 0 } } as AppConfig);
    const repeats = timing(normaliseRrule('DTSTART:20261201T063000\nRRULE:FREQ=MINUTELY;INTERVAL=15', HCM, from, { allowMinutely: true }));
    await expect(threadless.between(repeats, from, to)).resolves.toEqual(occurrencesBetween(repeats, from, to));
    // As a save checks it: the first within five years, though that window holds far more than a list may.
    const fiveYears = new Date(from.getTime() + 5 * 365 * 86_400_000);
    await expect(threadless.first(repeats, from, fiveYears)).resolves.toEqual(occurrencesBetween(repeats, from, to)[0]);
    await expect(threadless.first(timing(normaliseRrule('FREQ=DAILY;BYHOUR=6', HCM, from)), from, to)).rejects.toThrow();
    await threadless.onModuleDestroy();
  });

  it('turns a refusal inside the thread into a RecurrenceError naming the part', async () => {
    const stored = timing('DTSTART:20260101T000000\nRRULE:FREQ=DAILY;INTERVAL=-1;BYHOUR=6');
    await expect(engine.between(stored, from, to)).rejects.toThrow(
      new RecurrenceError('rrule INTERVAL=-1 must be a whole number from 1 to 1826 for FREQ=DAILY (one period may last at most five years)'),
    );
  });

  it.each([
    // rrule's hour counter steps by 2 from midnight and never reaches 07:00: it loops for ever.
    ['loops for ever', 'DTSTART:20260101T000000\nRRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=7'],
    // A day holds one candidate (06:00), never a second: rrule searches day by day to the year 9999.
    ['never matches', 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=6;BYSETPOS=2'],
  ])('stops a rule that %s at its budget while the event loop stays free, and keeps serving', async (_, rrule) => {
    // The main thread keeps turning while the thread burns its budget: a timer fires again and again meanwhile (an
    // expansion on the event loop would let it fire once at most, after the budget).
    let turns = 0;
    const ticking = setInterval(() => turns++, 20);
    const started = Date.now();
    await expect(engine.between(timing(rrule), from, to)).rejects.toBeInstanceOf(RecurrenceBudgetError);
    clearInterval(ticking);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(turns).toBeGreaterThanOrEqual(3);
    const daily = timing(normaliseRrule('FREQ=DAILY;BYHOUR=6', HCM, new Date('2026-01-01T00:00:00Z')));
    await expect(engine.between(daily, from, to)).resolves.toHaveLength(7);
  });
});
