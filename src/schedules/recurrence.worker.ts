import { parentPort } from 'node:worker_threads';
import { firstOccurrence, Occurrence, occurrencesBetween, ScheduleTiming } from './recurrence';
import { RecurrenceError } from './recurrence-error';

/** One expansion, run in a RecurrenceEngine thread: rrule works synchronously, so only a thread can be stopped mid-walk. */
export type RecurrenceTask =
  | { id: number; kind: 'between'; timing: ScheduleTiming; from: Date; to: Date; limit: number }
  | { id: number; kind: 'first'; timing: ScheduleTiming; from: Date; to: Date };

export type RecurrenceAnswer = { occurrences: Occurrence[] } | { refusal: string };

/** Posted when a task starts, so the engine's budget counts the walk, not the wait for a free thread. */
export interface TaskStarted {
  recurrenceTaskStarted: number;
}

export default function expand(task: RecurrenceTask): RecurrenceAnswer {
  parentPort?.postMessage({ recurrenceTaskStarted: task.id } satisfies TaskStarted);
  try {
    if (task.kind === 'between') return { occurrences: occurrencesBetween(task.timing, task.from, task.to, task.limit) };
    const first = firstOccurrence(task.timing, task.from, task.to);
    return { occurrences: first ? [first] : [] };
  } catch (error) {
    // Whatever rrule throws on a stored rule is that rule's fault, not the engine's: the caller refuses or quarantines it.
    if (error instanceof RecurrenceError) return { refusal: error.message };
    return { refusal: `rrule could not expand the rule: ${(error as Error).message}` };
  }
}
