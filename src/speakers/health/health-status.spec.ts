import { SpeakerStatus } from '../speaker-status';
import { stateAfterCheck } from './health-status';

describe('stateAfterCheck', () => {
  it('makes any speaker online after a good check, forgetting past failures', () => {
    for (const status of Object.values(SpeakerStatus)) {
      expect(stateAfterCheck({ status, consecutiveFailures: 7 }, true, 3)).toEqual({ status: SpeakerStatus.Online, consecutiveFailures: 0 });
    }
  });

  it('makes a speaker degraded at its first failures, and offline after the limit in a row', () => {
    let state = { status: SpeakerStatus.Online, consecutiveFailures: 0 };
    const seen: SpeakerStatus[] = [];
    for (let i = 0; i < 4; i++) {
      state = stateAfterCheck(state, false, 3);
      seen.push(state.status);
    }
    expect(seen).toEqual([SpeakerStatus.Degraded, SpeakerStatus.Degraded, SpeakerStatus.Offline, SpeakerStatus.Offline]);
    expect(state.consecutiveFailures).toBe(4);
  });

  it('with a limit of 1, the first failure is offline', () => {
    expect(stateAfterCheck({ status: SpeakerStatus.Unknown, consecutiveFailures: 0 }, false, 1).status).toBe(SpeakerStatus.Offline);
  });
});
