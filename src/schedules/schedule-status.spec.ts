import { IllegalScheduleTransitionError, nextScheduleStatus, ScheduleAction, ScheduleStatus } from './schedule-status';

describe('schedule status', () => {
  it.each([
    [ScheduleStatus.Active, ScheduleAction.Pause, ScheduleStatus.Paused],
    [ScheduleStatus.Paused, ScheduleAction.Resume, ScheduleStatus.Active],
    [ScheduleStatus.Active, ScheduleAction.Cancel, ScheduleStatus.Cancelled],
    [ScheduleStatus.Paused, ScheduleAction.Cancel, ScheduleStatus.Cancelled],
  ])('%s --%s--> %s', (from, action, to) => {
    expect(nextScheduleStatus(from, action)).toBe(to);
  });

  it.each([
    [ScheduleStatus.Active, ScheduleAction.Resume],
    [ScheduleStatus.Paused, ScheduleAction.Pause],
    [ScheduleStatus.Cancelled, ScheduleAction.Pause],
    [ScheduleStatus.Cancelled, ScheduleAction.Resume],
    [ScheduleStatus.Cancelled, ScheduleAction.Cancel],
  ])('%s cannot %s', (from, action) => {
    expect(() => nextScheduleStatus(from, action)).toThrow(IllegalScheduleTransitionError);
  });

  it('says which states allow the action', () => {
    expect(() => nextScheduleStatus(ScheduleStatus.Cancelled, ScheduleAction.Pause)).toThrow(
      'A schedule that is cancelled cannot pause; only a schedule that is active can',
    );
  });
});
