import { ProgramVersion } from '../schedules/program';
import { Grouping, periodOf, periodsBetween } from './report-period';

/**
 * Playbacks of one status, per schedule and local day, village or priority, or per failure reason. A row adds to
 * the tallies whose dimension it carries, so the database sends one grouping set per table (a few hundred rows for
 * a month) instead of every combination; the totals are the sum of the rows that carry a local day.
 */
/** One grouping per dimension the summary tallies (see PlaybackCount). */
export const SUMMARY_GROUPING_SETS =
  '((local_day, schedule_id, program_version, status), (village_id, schedule_id, program_version, status), (priority, schedule_id, program_version, status), (status, reason))';

export interface PlaybackCount {
  localDay: string | null;
  villageId: string | null;
  priority: string | null;
  scheduleId: string | null;
  /** The version of the schedule's program these playbacks aired; null with scheduleId. */
  programVersion: number | null;
  status: string;
  /** `''` for none; null when the row is not grouped by reason. */
  reason: string | null;
  playbacks: number;
}

/** Identifies one version of one schedule's program in `summarise`'s programs. */
export function programKey(scheduleId: string, version: number): string {
  return `${scheduleId}/${version}`;
}

/** Part of a schedule's program: the minutes of one topic in it. */
export interface ProgramTopic {
  topicId: string;
  topicName: string;
  durationMs: number;
}

export interface ProblemCount {
  status: string;
  reason: string;
  count: number;
}

export interface StatusTotals {
  playbacks: number;
  /** Every playback except cancelled ones. */
  planned: number;
  /** Played with no problem reported: effective broadcasts. */
  played: number;
  /** Played, but the village operator reported a problem (power cut, speaker broken, …): not effective. */
  playedWithProblem: number;
  failed: number;
  missed: number;
  /** Stopped by an official or pre-empted by an emergency broadcast: a decision, not a failure, so not due. */
  preempted: number;
  cancelled: number;
  /** Planned, queued, dispatching or playing: its time has not come, or it is on air. */
  pending: number;
  /** played ÷ (played + playedWithProblem + failed + missed), i.e. effective ÷ (due − stopped or pre-empted); null when nothing was due. */
  compliance: number | null;
  /** Program minutes of effective (played, no problem reported) playbacks, in milliseconds. */
  onAirMs: number;
}

export interface SummaryTables {
  totals: StatusTotals;
  periods: Array<{ period: string } & StatusTotals>;
  villageTopics: Array<{ villageId: string; villageName: string; topicId: string; topicName: string; broadcasts: number; onAirMs: number }>;
  priorities: Array<{ priority: string } & StatusTotals>;
  villages: Array<{ villageId: string; villageName: string } & StatusTotals>;
  problems: ProblemCount[];
}

export const PRIORITY_ORDER = ['emergency', 'priority', 'normal'];
const VIETNAMESE = new Intl.Collator('vi');
const PENDING = new Set(['planned', 'queued', 'dispatching', 'playing']);
/** A played playback with an operator's problem report, as the summary counts it (see withProblemReports). */
export const PLAYED_WITH_PROBLEM = 'played_with_problem';
/** The outcomes that did not go as planned, listed with their reasons (a problem report's reason is its kind). */
const PROBLEMS = ['failed', 'missed', 'preempted', PLAYED_WITH_PROBLEM];

class Tally {
  private readonly byStatus = new Map<string, number>();
  private onAirMs = 0;

  add(count: PlaybackCount, programMs: number): void {
    this.byStatus.set(count.status, (this.byStatus.get(count.status) ?? 0) + count.playbacks);
    if (count.status === 'played') this.onAirMs += count.playbacks * programMs;
  }

  totals(): StatusTotals {
    const of = (status: string) => this.byStatus.get(status) ?? 0;
    let playbacks = 0;
    let pending = 0;
    for (const [status, n] of this.byStatus) {
      playbacks += n;
      if (PENDING.has(status)) pending += n;
    }
    const due = of('played') + of(PLAYED_WITH_PROBLEM) + of('failed') + of('missed');
    return {
      playbacks,
      planned: playbacks - of('cancelled'),
      played: of('played'),
      playedWithProblem: of(PLAYED_WITH_PROBLEM),
      failed: of('failed'),
      missed: of('missed'),
      preempted: of('preempted'),
      cancelled: of('cancelled'),
      pending,
      compliance: due === 0 ? null : Math.round((of('played') / due) * 10_000) / 10_000,
      onAirMs: this.onAirMs,
    };
  }
}

/**
 * The counts with problem-reported plays told apart: `reported` are counts of played playbacks with an operator's
 * problem report, as status PLAYED_WITH_PROBLEM (reason: the problem's kind). Each is moved out of `played`, so
 * every dimension's tally stays the sum of its playbacks.
 */
export function withProblemReports(counts: PlaybackCount[], reported: PlaybackCount[]): PlaybackCount[] {
  const moved = reported.filter((count) => count.reason === null).map((count) => ({ ...count, status: 'played', playbacks: -count.playbacks }));
  return [...counts, ...reported, ...moved];
}

function tallyBy<K>(keys: K[]): Map<K, Tally> {
  return new Map(keys.map((key) => [key, new Tally()]));
}

/**
 * The summary's tables from playback counts and the program versions they aired (keyed by programKey). Pure, so the rules (what counts
 * as planned, due, on air; how a multi-topic program splits) are unit-tested without a database.
 */
export function summarise(input: {
  counts: PlaybackCount[];
  programs: Map<string, ProgramTopic[]>;
  villages: Array<{ id: string; name: string }>;
  from: string;
  to: string;
  grouping: Grouping;
  /** When filtering by topic, minutes per topic are shown for these topics only. */
  topicIds: string[];
}): SummaryTables {
  const programMs = new Map([...input.programs].map(([id, topics]) => [id, topics.reduce((sum, topic) => sum + topic.durationMs, 0)]));
  const total = new Tally();
  const periods = tallyBy(periodsBetween(input.from, input.to, input.grouping));
  const priorities = tallyBy(PRIORITY_ORDER);
  const villages = tallyBy(input.villages.map((village) => village.id));
  const villageTopics = new Map<string, { villageId: string; topicId: string; topicName: string; broadcasts: number; onAirMs: number }>();
  const problems = new Map<string, ProblemCount>();

  for (const count of input.counts) {
    if (count.reason !== null && PROBLEMS.includes(count.status)) {
      const key = `${count.status}/${count.reason}`;
      const problem = problems.get(key) ?? { status: count.status, reason: count.reason, count: 0 };
      problem.count += count.playbacks;
      problems.set(key, problem);
    }
    if (count.scheduleId === null || count.programVersion === null) continue;
    const program = programKey(count.scheduleId, count.programVersion);
    const ms = programMs.get(program) ?? 0;
    if (count.localDay !== null) {
      total.add(count, ms);
      periods.get(periodOf(count.localDay, input.grouping))?.add(count, ms);
    }
    if (count.priority !== null) priorities.get(count.priority)?.add(count, ms);
    if (count.villageId === null) continue;
    villages.get(count.villageId)?.add(count, ms);
    if (count.status !== 'played') continue;
    for (const topic of input.programs.get(program) ?? []) {
      if (input.topicIds.length && !input.topicIds.includes(topic.topicId)) continue;
      const key = `${count.villageId}/${topic.topicId}`;
      const cell = villageTopics.get(key) ?? { villageId: count.villageId, topicId: topic.topicId, topicName: topic.topicName, broadcasts: 0, onAirMs: 0 };
      cell.broadcasts += count.playbacks;
      cell.onAirMs += count.playbacks * topic.durationMs;
      villageTopics.set(key, cell);
    }
  }

  const villageName = new Map(input.villages.map((village) => [village.id, village.name]));
  return {
    totals: total.totals(),
    periods: [...periods].map(([period, tally]) => ({ period, ...tally.totals() })),
    villageTopics: [...villageTopics.values()]
      .map((cell) => ({
        villageId: cell.villageId,
        villageName: villageName.get(cell.villageId) ?? '',
        topicId: cell.topicId,
        topicName: cell.topicName,
        broadcasts: cell.broadcasts,
        onAirMs: cell.onAirMs,
      }))
      .sort((a, b) => VIETNAMESE.compare(a.villageName, b.villageName) || VIETNAMESE.compare(a.topicName, b.topicName)),
    priorities: [...priorities].map(([priority, tally]) => ({ priority, ...tally.totals() })),
    villages: input.villages
      .map((village) => ({ villageId: village.id, villageName: village.name, ...villages.get(village.id)!.totals() }))
      .sort((a, b) => VIETNAMESE.compare(a.villageName, b.villageName)),
    problems: [...problems.values()].sort((a, b) => b.count - a.count || a.status.localeCompare(b.status) || a.reason.localeCompare(b.reason)),
  };
}

/** The program versions the summary needs. */
export function programsOf(counts: PlaybackCount[]): ProgramVersion[] {
  const versions = new Map<string, ProgramVersion>();
  for (const { scheduleId, programVersion } of counts) {
    if (scheduleId !== null && programVersion !== null) versions.set(programKey(scheduleId, programVersion), { scheduleId, version: programVersion });
  }
  return [...versions.values()];
}
