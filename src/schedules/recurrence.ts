import { DateTime, IANAZone } from 'luxon';
import { Frequency, Options, RRule, Weekday } from 'rrule';
import { RecurrenceError } from './recurrence-error';
import { checkRuleParts } from './rule-parts';

/**
 * Occurrence expansion, pure. rrule 2.8.1's own `tzid` support depends on the process's TZ (the same rule
 * gives other instants under TZ=America/New_York) and puts a daily 01:30 Europe/London rule at 00:30 local on
 * the spring-forward day, so rrule only expands *floating* wall-clock times here (Dates whose UTC fields are
 * the local time) and this module turns each wall time into an instant in the schedule's IANA zone.
 *
 * DST rule (RFC 5545 §3.3.5): a local time that does not exist (spring-forward gap) is read with the UTC
 * offset before the gap — 01:30 in London on the last Sunday of March airs once, at 02:30 BST, flagged
 * `shiftedByDst`; a local time that exists twice (fall-back) airs once, at its first instant.
 */

export interface ScheduleTiming {
  /** One-off instant, or null for a recurring schedule. */
  startsAt: Date | null;
  /** Normalised rule (see normaliseRrule), or null for a one-off. */
  rrule: string | null;
  timezone: string;
  /** Inclusive validity window; null means unbounded. */
  validFrom: Date | null;
  validUntil: Date | null;
}

export interface Occurrence {
  at: Date;
  /** ISO 8601 in the schedule's zone, with its offset, e.g. 2026-01-01T06:00:00+07:00. */
  local: string;
  /** The local time did not exist that day (spring forward); it airs at the same offset as before the gap. */
  shiftedByDst: boolean;
}

const ALLOWED_FREQUENCIES = new Set([Frequency.YEARLY, Frequency.MONTHLY, Frequency.WEEKLY, Frequency.DAILY, Frequency.HOURLY]);
const DAY_MS = 86_400_000;
export const MAX_OCCURRENCES = 5000;

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

interface ParsedRule {
  tzid: string | null;
  /** DTSTART as a floating wall time, when given. */
  dtstart: Date | null;
  /** The RRULE body without the `RRULE:` prefix. */
  body: string;
  options: Partial<Options>;
  /** UNTIL given as a UTC instant (…Z), to be moved to the zone's wall time. */
  untilInstant: Date | null;
  /** UNTIL given as a date only: through the end of that local day. */
  untilDateOnly: boolean;
}

/** The zone named by `DTSTART;TZID=…` in a user's rule, if any. */
export function rruleTzid(rrule: string): string | null {
  return parse(rrule).tzid;
}

/**
 * Checks a rule written by a person and answers it in the stored form `DTSTART:<local>\nRRULE:<body>`
 * (floating DTSTART; the zone lives beside it). Without DTSTART the rule starts at local midnight of `anchor`'s
 * day in the zone, so its time of day must come from BYHOUR.
 */
export function normaliseRrule(rrule: string, timezone: string, anchor: Date, options: { allowMinutely?: boolean } = {}): string {
  if (!isValidZone(timezone)) throw new RecurrenceError(`timezone "${timezone}" is not an IANA zone such as Asia/Ho_Chi_Minh`);
  const parsed = parse(rrule);
  // People write YEARLY..HOURLY; MINUTELY is only for the repeats of an emergency broadcast, which Loa writes itself.
  if (!ALLOWED_FREQUENCIES.has(parsed.options.freq!) && !(options.allowMinutely && parsed.options.freq === Frequency.MINUTELY)) {
    throw new RecurrenceError('rrule FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY');
  }
  if (parsed.tzid !== null && parsed.tzid !== timezone) {
    throw new RecurrenceError(`rrule's DTSTART;TZID=${parsed.tzid} differs from timezone ${timezone}; give one zone`);
  }
  if (parsed.dtstart === null && parsed.options.byhour == null && parsed.options.freq !== Frequency.HOURLY) {
    throw new RecurrenceError('rrule must give the local time of day: BYHOUR (and BYMINUTE), or a DTSTART with a local time');
  }
  const dtstart = parsed.dtstart ?? floating(DateTime.fromJSDate(anchor, { zone: timezone }).startOf('day'));
  checkHoursReachable(parsed.options, dtstart);
  return `DTSTART:${formatWall(dtstart)}\nRRULE:${parsed.body}`;
}

/**
 * An HOURLY rule steps INTERVAL hours from DTSTART's hour, so it only ever meets the hours congruent to it modulo
 * gcd(INTERVAL, 24); rrule's hour counter looks for a BYHOUR it can never reach for ever.
 */
function checkHoursReachable(options: Partial<Options>, dtstart: Date): void {
  if (options.freq !== Frequency.HOURLY || options.byhour == null || (options.interval ?? 1) === 1) return;
  const hours = ([] as number[]).concat(options.byhour);
  const step = gcd(options.interval!, 24);
  if (hours.some((hour) => (hour - dtstart.getUTCHours()) % step === 0)) return;
  throw new RecurrenceError(
    `rrule FREQ=HOURLY;INTERVAL=${options.interval} from ${dtstart.getUTCHours()}:00 only meets hours ${dtstart.getUTCHours() % step} + multiples of ${step}; BYHOUR=${hours.join(',')} is never reached`,
  );
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The occurrences with from ≤ at < to, inside the validity window, in time order. */
export function occurrencesBetween(timing: ScheduleTiming, from: Date, to: Date, limit = MAX_OCCURRENCES): Occurrence[] {
  const occurrences: Occurrence[] = [];
  walk(timing, from, to, (occurrence) => {
    occurrences.push(occurrence);
    if (occurrences.length > limit) throw new RecurrenceError(`more than ${limit} occurrences between from and to; ask for a shorter window`);
    return true;
  });
  return occurrences;
}

/**
 * The first occurrence with from ≤ at < to, or null. A rule that never matches again makes rrule search to the
 * year 9999 however near `to` is, so this runs only where a budget can stop it (RecurrenceEngine's worker threads).
 */
export function firstOccurrence(timing: ScheduleTiming, from: Date, to: Date): Occurrence | null {
  let first: Occurrence | null = null;
  walk(timing, from, to, (occurrence) => {
    first = occurrence;
    return false;
  });
  return first;
}

/** Calls `visit` with each occurrence in the window, in time order, while it answers true. */
function walk(timing: ScheduleTiming, from: Date, to: Date, visit: (occurrence: Occurrence) => boolean): void {
  const lower = Math.max(from.getTime(), timing.validFrom?.getTime() ?? -Infinity);
  const upper = Math.min(to.getTime(), timing.validUntil ? timing.validUntil.getTime() + 1 : Infinity);
  if (lower >= upper) return;
  const inWindow = (at: Date) => at.getTime() >= lower && at.getTime() < upper;
  if (timing.startsAt) {
    if (inWindow(timing.startsAt)) visit({ at: timing.startsAt, local: localIso(timing.startsAt, timing.timezone), shiftedByDst: false });
    return;
  }
  if (!timing.rrule) throw new RecurrenceError('a schedule needs startsAt or rrule');
  // Offsets are within ±14 h, so a day either side of the window in wall time covers every candidate.
  const wallFrom = floating(DateTime.fromMillis(lower, { zone: timing.timezone })).getTime() - DAY_MS;
  const wallTo = floating(DateTime.fromMillis(upper, { zone: timing.timezone })).getTime() + DAY_MS;
  const rule = buildRule(parse(timing.rrule), timing.timezone, new Date(wallFrom));
  if (rule.options.until && rule.options.until.getTime() < wallFrom) return;
  rule.between(new Date(wallFrom), new Date(wallTo), true, (wall) => {
    const { at, shiftedByDst } = wallToInstant(toWall(wall), timing.timezone);
    return !inWindow(at) || visit({ at, local: localIso(at, timing.timezone), shiftedByDst });
  });
}

/** rrule's reading of a stored rule, every BYxxx part explicit (what DTSTART implies filled in). */
export function ruleOptions(rrule: string): RRule['options'] {
  return buildRule(parse(rrule), 'UTC').options;
}

/**
 * The instant of a local wall time in `zone`. Candidates use the offsets a day before and after (at most one
 * transition in between); an ambiguous time takes the earlier instant, a non-existent one the offset before the gap.
 */
export function wallToInstant(wall: Wall, zone: string): { at: Date; shiftedByDst: boolean } {
  const tz = IANAZone.create(zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const before = tz.offset(asUtc - DAY_MS);
  const after = tz.offset(asUtc + DAY_MS);
  const valid = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((instant) => asUtc - tz.offset(instant) * 60_000 === instant)
    .sort((a, b) => a - b);
  if (valid.length > 0) return { at: new Date(valid[0]), shiftedByDst: false };
  return { at: new Date(asUtc - before * 60_000), shiftedByDst: true };
}

export function localIso(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISO({ suppressMilliseconds: true })!;
}

function parse(text: string): ParsedRule {
  const lines = text
    .split(/\r?\n|\\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  let tzid: string | null = null;
  let dtstart: Date | null = null;
  let body: string | null = null;
  for (const line of lines) {
    const upper = line.toUpperCase();
    if (upper.startsWith('DTSTART')) {
      const match = /^DTSTART(?:;TZID=([^:;]+))?:(\d{8}T\d{6})(Z?)$/i.exec(line);
      if (!match) throw new RecurrenceError(`rrule's DTSTART "${line}" must read DTSTART:20260101T060000 or DTSTART;TZID=Asia/Ho_Chi_Minh:20260101T060000`);
      if (match[3]) throw new RecurrenceError("rrule's DTSTART must be a local time (no trailing Z); the zone is given by timezone or TZID");
      tzid = match[1] ?? null;
      if (tzid !== null && !isValidZone(tzid)) throw new RecurrenceError(`rrule's TZID "${tzid}" is not an IANA zone`);
      dtstart = parseWall(match[2]);
    } else if (upper.startsWith('RRULE:') || upper.startsWith('FREQ=') || (body === null && /^[A-Z]+=/.test(upper))) {
      if (body !== null) throw new RecurrenceError('rrule must hold exactly one RRULE');
      body = line.replace(/^RRULE:/i, '');
    } else {
      throw new RecurrenceError(`rrule may hold only DTSTART and RRULE lines, not "${line.slice(0, 40)}"`);
    }
  }
  if (body === null) throw new RecurrenceError('rrule must hold an RRULE such as FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0');
  checkRuleParts(body);
  let options: Partial<Options>;
  try {
    options = RRule.parseString(body);
  } catch (error) {
    throw new RecurrenceError(`rrule "${body}" is not a valid RFC 5545 RRULE: ${(error as Error).message}`);
  }
  if (options.freq === undefined || options.freq === null) throw new RecurrenceError('rrule must give FREQ, e.g. FREQ=DAILY');
  // MINUTELY is stored only for emergency repeats (normaliseRrule refuses it from people); SECONDLY never.
  if (!ALLOWED_FREQUENCIES.has(options.freq) && options.freq !== Frequency.MINUTELY)
    throw new RecurrenceError('rrule FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY');
  if (options.tzid || options.dtstart) throw new RecurrenceError('put DTSTART on its own line before the RRULE, not inside it');
  if (options.until && options.count) throw new RecurrenceError('rrule may give UNTIL or COUNT, not both');
  const until = /UNTIL=(\d{8})(T\d{6})?(Z?)/i.exec(body);
  return {
    tzid,
    dtstart,
    body,
    options,
    untilInstant: until?.[3] && options.until ? options.until : null,
    untilDateOnly: Boolean(until && !until[2]),
  };
}

/**
 * The rrule for a parsed rule. rrule iterates from DTSTART, so a rule started years ago costs a walk through every
 * period since; given `wallFrom`, DTSTART is moved forward by whole periods (INTERVALs kept in step) to the last
 * period start before it, with what the old DTSTART implied (time of day, weekday, day of month) made explicit:
 * the occurrences from `wallFrom` on are the same, and the walk is as short as the window. COUNT rules count from
 * their DTSTART and are not moved.
 */
function buildRule(parsed: ParsedRule, zone: string, wallFrom?: Date): RRule {
  if (!parsed.dtstart) throw new RecurrenceError('stored rrule has no DTSTART');
  let until = parsed.options.until ?? null;
  if (until && parsed.untilInstant) until = floating(DateTime.fromJSDate(parsed.untilInstant, { zone }));
  else if (until && parsed.untilDateOnly) until = new Date(until.getTime() + DAY_MS - 1000);
  const options: Partial<Options> = { ...parsed.options, dtstart: parsed.dtstart, until, tzid: null };
  if (!wallFrom || parsed.options.count || wallFrom <= parsed.dtstart) return new RRule(options);
  const dtstart = periodStartBefore(options, parsed.dtstart, wallFrom);
  if (dtstart === parsed.dtstart) return new RRule(options);
  return new RRule({ ...impliedByDtstart(options, parsed.dtstart), dtstart });
}

/** The BYxxx parts rrule would take from DTSTART (RFC 5545 §3.3.10), written out so DTSTART can move. */
function impliedByDtstart(options: Partial<Options>, dtstart: Date): Partial<Options> {
  const explicit = { ...options };
  const freq = options.freq!;
  const dayChosen = [options.byweekno, options.byyearday, options.bymonthday, options.byweekday].some(
    (part) => part != null && !(Array.isArray(part) && part.length === 0),
  );
  if (!dayChosen) {
    if (freq === Frequency.YEARLY) {
      explicit.bymonth ??= dtstart.getUTCMonth() + 1;
      explicit.bymonthday = dtstart.getUTCDate();
    } else if (freq === Frequency.MONTHLY) {
      explicit.bymonthday = dtstart.getUTCDate();
    } else if (freq === Frequency.WEEKLY) {
      explicit.byweekday = [new Weekday((dtstart.getUTCDay() + 6) % 7)];
    }
  }
  if (freq < Frequency.HOURLY) explicit.byhour ??= dtstart.getUTCHours();
  if (freq < Frequency.MINUTELY) explicit.byminute ??= dtstart.getUTCMinutes();
  explicit.bysecond ??= dtstart.getUTCSeconds();
  return explicit;
}

/** The start of the last period of the rule (counted from `dtstart` in steps of INTERVAL) that begins before `wallFrom`. */
function periodStartBefore(options: Partial<Options>, dtstart: Date, wallFrom: Date): Date {
  const interval = options.interval ?? 1;
  const steps = (elapsed: number) => Math.max(0, Math.floor((elapsed - 1) / interval) * interval);
  const moved = (periodStart: DateTime, unit: 'years' | 'months' | 'weeks' | 'days' | 'hours' | 'minutes', elapsed: number): Date =>
    steps(elapsed) === 0 ? dtstart : periodStart.plus({ [unit]: steps(elapsed) }).toJSDate();
  const start = DateTime.fromJSDate(dtstart, { zone: 'UTC' });
  const target = DateTime.fromJSDate(wallFrom, { zone: 'UTC' });
  switch (options.freq) {
    case Frequency.YEARLY:
      return moved(start.startOf('year'), 'years', target.year - start.year);
    case Frequency.MONTHLY:
      return moved(start.startOf('month'), 'months', (target.year - start.year) * 12 + target.month - start.month);
    case Frequency.WEEKLY: {
      // rrule's weeks begin on WKST (Monday unless given); luxon's weekday is 1 (Monday) to 7.
      const wkst = typeof options.wkst === 'number' ? options.wkst : (options.wkst?.weekday ?? 0);
      const weekStart = start.startOf('day').minus({ days: (start.weekday - 1 - wkst + 7) % 7 });
      return moved(weekStart, 'weeks', Math.floor(target.diff(weekStart, 'days').days / 7));
    }
    case Frequency.DAILY:
      return moved(start.startOf('day'), 'days', Math.floor(target.diff(start.startOf('day'), 'days').days));
    case Frequency.HOURLY:
      return moved(start.startOf('hour'), 'hours', Math.floor(target.diff(start.startOf('hour'), 'hours').hours));
    case Frequency.MINUTELY:
      return moved(start.startOf('minute'), 'minutes', Math.floor(target.diff(start.startOf('minute'), 'minutes').minutes));
    default:
      return dtstart;
  }
}

function parseWall(text: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(text)!.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new RecurrenceError(`rrule's DTSTART ${text} is not a valid date and time`);
  }
  return date;
}

/** A zoned DateTime's wall time as a floating Date (UTC fields = local fields). */
function floating(local: DateTime): Date {
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

function toWall(date: Date): Wall {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

function formatWall(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, '');
}
