/**
 * Why a playback ended other than `played`, as a code; the human detail (a device's message, how many attempts)
 * is stored apart, in `failure_detail`. A driver's failure is recorded with its error kind as the code
 * (`unreachable`, `auth`, `busy`, `rejected`, `timeout`, `protocol`, see DRIVER_ERROR_KINDS).
 * Plain data with no imports: the console's build reads it too.
 */
export const PLAYBACK_REASONS = [
  /** The instant's misfire grace had passed before a worker took it. */
  'late',
  /** The speaker stayed held by another playback until the grace ran out. */
  'speaker_busy',
  /** Nothing dispatched it by the end of its grace (no worker, no Redis, no job). */
  'service_down',
  /** An attempt's worker died and no other attempt could be made in time. */
  'worker_lost',
  /** Its schedule was paused, cancelled or no longer targets the speaker. */
  'schedule_cancelled',
  /** An emergency broadcast took the speaker. */
  'preempted_by_emergency',
  /** An editor stopped the emergency broadcast while it played. */
  'broadcast_stopped',
  /** The speaker was disabled or removed by the instant. */
  'speaker_unavailable',
  /** The program's audio could not be read by the instant. */
  'audio_unavailable',
  /** The driver call ended with an error that is not a driver error. */
  'interrupted',
  /** A bulletin of its program was rejected or archived before it went to the speaker: it was not sent. */
  'bulletin_withdrawn',
] as const;

export type PlaybackReason = (typeof PLAYBACK_REASONS)[number];
