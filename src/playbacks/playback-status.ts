/**
 * Life of one playback (one speaker × one occurrence). Terminal states are final: nothing replays or rewrites
 * a playback that played, failed, was missed, pre-empted or cancelled.
 */
export enum PlaybackStatus {
  Planned = 'planned',
  Queued = 'queued',
  Dispatching = 'dispatching',
  Playing = 'playing',
  Played = 'played',
  Failed = 'failed',
  Missed = 'missed',
  Preempted = 'preempted',
  Cancelled = 'cancelled',
}

export const PLAYBACK_STATUSES = Object.values(PlaybackStatus);

export const TERMINAL_PLAYBACK_STATUSES: readonly PlaybackStatus[] = [
  PlaybackStatus.Played,
  PlaybackStatus.Failed,
  PlaybackStatus.Missed,
  PlaybackStatus.Preempted,
  PlaybackStatus.Cancelled,
];

/** Not yet handed to a driver: the planner may (re)queue these, and pausing a schedule cancels them. */
export const WAITING_PLAYBACK_STATUSES: readonly PlaybackStatus[] = [PlaybackStatus.Planned, PlaybackStatus.Queued];

const NEXT: Record<PlaybackStatus, readonly PlaybackStatus[]> = {
  // Failed straight from waiting: the speaker or the audio was gone by the instant, so no driver was called.
  [PlaybackStatus.Planned]: [PlaybackStatus.Queued, PlaybackStatus.Dispatching, PlaybackStatus.Missed, PlaybackStatus.Failed, PlaybackStatus.Cancelled],
  // Queued again is harmless: the planner re-queues after Redis lost its jobs.
  [PlaybackStatus.Queued]: [PlaybackStatus.Queued, PlaybackStatus.Dispatching, PlaybackStatus.Missed, PlaybackStatus.Failed, PlaybackStatus.Cancelled],
  // Dispatching again is the retry of an attempt whose worker died before the driver answered.
  [PlaybackStatus.Dispatching]: [
    PlaybackStatus.Dispatching,
    PlaybackStatus.Playing,
    PlaybackStatus.Played,
    PlaybackStatus.Failed,
    PlaybackStatus.Missed,
    PlaybackStatus.Preempted,
  ],
  [PlaybackStatus.Playing]: [PlaybackStatus.Played, PlaybackStatus.Failed, PlaybackStatus.Preempted],
  [PlaybackStatus.Played]: [],
  [PlaybackStatus.Failed]: [],
  [PlaybackStatus.Missed]: [],
  [PlaybackStatus.Preempted]: [],
  [PlaybackStatus.Cancelled]: [],
};

export class IllegalPlaybackTransitionError extends Error {
  constructor(
    readonly from: PlaybackStatus,
    readonly to: PlaybackStatus,
  ) {
    super(`A playback that is ${from} cannot become ${to}`);
  }
}

export function isTerminalPlayback(status: PlaybackStatus): boolean {
  return TERMINAL_PLAYBACK_STATUSES.includes(status);
}

export function canMovePlayback(from: PlaybackStatus, to: PlaybackStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses from which `to` may be reached, for guarded UPDATEs (`… WHERE status IN (…)`). */
export function playbackStatusesBefore(to: PlaybackStatus): PlaybackStatus[] {
  return PLAYBACK_STATUSES.filter((from) => canMovePlayback(from, to));
}

/** `to`, or IllegalPlaybackTransitionError when the state machine forbids the move. */
export function nextPlaybackStatus(from: PlaybackStatus, to: PlaybackStatus): PlaybackStatus {
  if (!canMovePlayback(from, to)) throw new IllegalPlaybackTransitionError(from, to);
  return to;
}
