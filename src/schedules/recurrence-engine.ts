import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { extname, join } from 'node:path';
import Piscina from 'piscina';
import { AppConfig } from '../config/app-config';
import { firstOccurrence, MAX_OCCURRENCES, Occurrence, occurrencesBetween, ScheduleTiming } from './recurrence';
import { RecurrenceError } from './recurrence-error';
import type { RecurrenceAnswer, RecurrenceTask, TaskStarted } from './recurrence.worker';

/** An expansion that ran past its budget: the rule is too costly to expand, whatever it looks like. */
export class RecurrenceBudgetError extends RecurrenceError {
  constructor(budgetMs: number) {
    super(`the rule took longer than ${budgetMs} ms to expand, so it cannot be planned; write a simpler rule (fewer BYxxx values, or one that matches more often)`);
  }
}

type TaskInput = RecurrenceTask extends infer T ? (T extends RecurrenceTask ? Omit<T, 'id'> : never) : never;

/** Compiled builds run the worker as JavaScript; ts-node and jest run it from source through ts-node's hook. */
const WORKER_FILE = join(__dirname, `recurrence.worker${extname(__filename)}`);
const WORKER_EXEC_ARGV = extname(__filename) === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : [];

/**
 * The repeats of an emergency broadcast as Loa writes them (schedules.service startNow): one step per occurrence and
 * nothing to search, so they are walked at once, and an emergency never waits for a thread.
 */
const EMERGENCY_REPEAT = /^DTSTART:\d{8}T\d{6}\nRRULE:FREQ=MINUTELY;INTERVAL=\d{1,4}$/;

/**
 * Expands recurrences on worker threads under a time budget. rrule walks synchronously and some rules walk for
 * seconds or for ever (a rule that never matches again searches to the year 9999), so no expansion runs on the event
 * loop: each runs on a thread, and one still running `budgetMs` after it started is stopped by ending its thread
 * (Piscina starts another). The budget counts from the moment the thread takes the task, never the wait for a free one.
 * One-offs have no rule to walk and are answered at once, as are emergency repeats.
 */
@Injectable()
export class RecurrenceEngine implements OnModuleDestroy {
  private pool: Piscina | null = null;
  private nextId = 0;
  /** Arms a task's budget when its thread reports that it started. */
  private readonly armers = new Map<number, () => void>();

  constructor(private readonly config: AppConfig) {}

  /** The occurrences with from ≤ at < to (see occurrencesBetween); RecurrenceError for a rule that cannot be expanded. */
  async between(timing: ScheduleTiming, from: Date, to: Date, limit = MAX_OCCURRENCES): Promise<Occurrence[]> {
    return this.run({ kind: 'between', timing, from, to, limit });
  }

  /** The first occurrence with from ≤ at < to, or null. */
  async first(timing: ScheduleTiming, from: Date, to: Date): Promise<Occurrence | null> {
    const [first] = await this.run({ kind: 'first', timing, from, to });
    return first ?? null;
  }

  async onModuleDestroy(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  private async run(input: TaskInput): Promise<Occurrence[]> {
    const { startsAt, rrule, timezone, validFrom, validUntil } = input.timing;
    if (!rrule || EMERGENCY_REPEAT.test(rrule)) {
      if (input.kind === 'between') return occurrencesBetween(input.timing, input.from, input.to, input.limit);
      const first = firstOccurrence(input.timing, input.from, input.to);
      return first ? [first] : [];
    }
    const id = ++this.nextId;
    // Only the timing crosses to the thread, whatever else the caller's object carries.
    const task = { ...input, timing: { startsAt, rrule, timezone, validFrom, validUntil }, id } as RecurrenceTask;
    const budgetMs = this.config.recurrence.budgetMs;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    this.armers.set(id, () => (timer = setTimeout(() => abort.abort(), budgetMs)));
    try {
      const answer = (await this.threads().run(task, { signal: abort.signal })) as RecurrenceAnswer;
      if ('refusal' in answer) throw new RecurrenceError(answer.refusal);
      return answer.occurrences;
    } catch (error) {
      if (abort.signal.aborted) throw new RecurrenceBudgetError(budgetMs);
      throw error;
    } finally {
      clearTimeout(timer);
      this.armers.delete(id);
    }
  }

  private threads(): Piscina {
    if (this.pool) return this.pool;
    const threads = this.config.recurrence.threads;
    this.pool = new Piscina({ filename: WORKER_FILE, execArgv: WORKER_EXEC_ARGV, minThreads: threads, maxThreads: threads, idleTimeout: Infinity });
    this.pool.on('message', (message: Partial<TaskStarted>) => {
      if (typeof message.recurrenceTaskStarted === 'number') this.armers.get(message.recurrenceTaskStarted)?.();
    });
    return this.pool;
  }
}
