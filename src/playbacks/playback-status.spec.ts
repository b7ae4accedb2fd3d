import {
  canMovePlayback,
  IllegalPlaybackTransitionError,
  isTerminalPlayback,
  nextPlaybackStatus,
  PLAYBACK_STATUSES,
  PlaybackStatus,
  playbackStatusesBefore,
  TERMINAL_PLAYBACK_STATUSES,
} from './playback-status';

describe('playback state machine', () => {
  it('walks the happy path planned → queued → dispatching → playing → played', () => {
    let status = PlaybackStatus.Planned;
    for (const to of [PlaybackStatus.Queued, PlaybackStatus.Dispatching, PlaybackStatus.Playing, PlaybackStatus.Played]) {
      status = nextPlaybackStatus(status, to);
    }
    expect(status).toBe(PlaybackStatus.Played);
  });

  it('never moves a terminal playback, not even to itself', () => {
    for (const from of TERMINAL_PLAYBACK_STATUSES) {
      expect(isTerminalPlayback(from)).toBe(true);
      for (const to of PLAYBACK_STATUSES) {
        expect(canMovePlayback(from, to)).toBe(false);
        expect(() => nextPlaybackStatus(from, to)).toThrow(IllegalPlaybackTransitionError);
      }
    }
  });

  it('cancels only what has not reached a driver', () => {
    expect(playbackStatusesBefore(PlaybackStatus.Cancelled).sort()).toEqual([PlaybackStatus.Planned, PlaybackStatus.Queued].sort());
  });

  it('misses what is planned, queued or retried too late, but not what is already on air', () => {
    expect(playbackStatusesBefore(PlaybackStatus.Missed).sort()).toEqual([PlaybackStatus.Dispatching, PlaybackStatus.Planned, PlaybackStatus.Queued].sort());
    expect(canMovePlayback(PlaybackStatus.Playing, PlaybackStatus.Missed)).toBe(false);
  });

  it('lets the planner queue again and a dead attempt be retried', () => {
    expect(canMovePlayback(PlaybackStatus.Queued, PlaybackStatus.Queued)).toBe(true);
    expect(canMovePlayback(PlaybackStatus.Dispatching, PlaybackStatus.Dispatching)).toBe(true);
    expect(canMovePlayback(PlaybackStatus.Playing, PlaybackStatus.Dispatching)).toBe(false);
  });

  it('names both states when refusing', () => {
    expect(() => nextPlaybackStatus(PlaybackStatus.Played, PlaybackStatus.Queued)).toThrow('A playback that is played cannot become queued');
  });

  it('counts non-terminal states as not terminal', () => {
    expect(PLAYBACK_STATUSES.filter((status) => !isTerminalPlayback(status)).sort()).toEqual(
      [PlaybackStatus.Dispatching, PlaybackStatus.Planned, PlaybackStatus.Playing, PlaybackStatus.Queued].sort(),
    );
  });
});
