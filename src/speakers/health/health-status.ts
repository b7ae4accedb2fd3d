import { SpeakerStatus } from '../speaker-status';

export interface HealthState {
  status: SpeakerStatus;
  consecutiveFailures: number;
}

/**
 * A speaker's status after one check: a good answer makes it online; failures make it degraded, and
 * `offlineAfter` failures in a row make it offline (a flaky 4G link is not reported dead at its first miss).
 */
export function stateAfterCheck(previous: HealthState, ok: boolean, offlineAfter: number): HealthState {
  if (ok) return { status: SpeakerStatus.Online, consecutiveFailures: 0 };
  const consecutiveFailures = previous.consecutiveFailures + 1;
  return { status: consecutiveFailures >= offlineAfter ? SpeakerStatus.Offline : SpeakerStatus.Degraded, consecutiveFailures };
}
