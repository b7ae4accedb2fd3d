/** What Loa last knew of a speaker's reachability. */
export enum SpeakerStatus {
  /** Never checked yet. */
  Unknown = 'unknown',
  Online = 'online',
  /** Answering, but the last checks were not all good. */
  Degraded = 'degraded',
  Offline = 'offline',
}
