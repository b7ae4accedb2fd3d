/** What a village operator can report about a playback they were to hear. */
export const OPERATOR_PROBLEM_KINDS = ['speaker_broken', 'power_cut', 'no_signal', 'not_heard', 'other'] as const;
export type OperatorProblemKind = (typeof OPERATOR_PROBLEM_KINDS)[number];
