import { DRIVER_ERROR_KINDS, DriverErrorKind } from '../speakers/drivers/driver-error';
import { PLAYBACK_REASONS, PlaybackReason } from './playback-reason';

/** What `failure_code` may hold: one of Loa's reasons, or the kind of the driver error that ended the playback. */
export type PlaybackFailureCode = PlaybackReason | DriverErrorKind;

export const PLAYBACK_FAILURE_CODES: readonly PlaybackFailureCode[] = [...PLAYBACK_REASONS, ...DRIVER_ERROR_KINDS];

/** A playback's recorded reason: the code (grouped and labelled) and the human detail, kept apart. */
export interface PlaybackFailure {
  code: PlaybackFailureCode;
  detail: string | null;
}

export function playbackFailure(code: PlaybackFailureCode, detail: string | null = null): PlaybackFailure {
  return { code, detail };
}

/** A failure as an airtime record's evidence: the reason code, and its detail when there is one. */
export function failureEvidence(failure: PlaybackFailure): Record<string, string> {
  return failure.detail === null ? { reason: failure.code } : { reason: failure.code, detail: failure.detail };
}
