import type { ItemEvidence } from './speaker-driver';

/**
 * Why a speaker could not be driven. `unreachable`: no connection; `auth`: credentials refused; `busy`: already
 * playing; `rejected`: the device refused or failed the playback; `timeout`: no answer in time; `protocol`: the
 * device answered something Loa cannot believe.
 */
export const DRIVER_ERROR_KINDS = ['unreachable', 'auth', 'busy', 'rejected', 'timeout', 'protocol'] as const;
export type DriverErrorKind = (typeof DRIVER_ERROR_KINDS)[number];

export class DriverError extends Error {
  constructor(
    readonly kind: DriverErrorKind,
    message: string,
    /** The items whose audio or command had gone out before the failure, so the airtime record can say they were commanded. */
    readonly evidence?: ItemEvidence[],
  ) {
    super(message);
    this.name = 'DriverError';
  }

  withEvidence(evidence: ItemEvidence[]): DriverError {
    return new DriverError(this.kind, this.message, evidence);
  }
}

/** True for the rejection of a play that was aborted through its signal or `stop`. */
export function isPlaybackAborted(error: unknown): boolean {
  // Not `instanceof Error`: DOMException comes from another realm under test runners.
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** The reason `stop` gives the AbortController of an in-flight play. */
export function playbackStopped(playbackId: string): Error {
  return new DOMException(`Playback ${playbackId} was stopped by Loa`, 'AbortError');
}
