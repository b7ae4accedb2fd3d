import {
  EVIDENCE_LABELS,
  FAILURE_CODE_LABELS,
  Label,
  labelOf,
  PLAYBACK_STATUS_LABELS,
  PRIORITY_LABELS,
  PROBLEM_KIND_LABELS,
  REPORT_OUTCOME_LABELS,
} from '../playbacks/playback-labels';

/** The Vietnamese words of the shared label table (the console's too), for every export. Unknown codes print as they are. */
const label =
  (table: Record<string, Label>) =>
  (code: string | null | undefined): string =>
    labelOf(table, code, 'vi');

/** A playback's status, or a report's outcome such as `played_with_problem`. */
export const statusLabel = label({ ...PLAYBACK_STATUS_LABELS, ...REPORT_OUTCOME_LABELS });
export const priorityLabel = label(PRIORITY_LABELS);
export const evidenceLabel = label(EVIDENCE_LABELS);
export const problemLabel = label(PROBLEM_KIND_LABELS);
export const reasonLabel = label(FAILURE_CODE_LABELS);
