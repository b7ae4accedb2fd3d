/** Life of a schedule: active ⇄ paused; cancelled is terminal (kept for the records, never planned again). */
export enum ScheduleStatus {
  Active = 'active',
  Paused = 'paused',
  Cancelled = 'cancelled',
}

export enum ScheduleAction {
  Pause = 'pause',
  Resume = 'resume',
  Cancel = 'cancel',
}

export const SCHEDULE_STATUSES = Object.values(ScheduleStatus);

const TRANSITIONS: Record<ScheduleAction, { from: ScheduleStatus[]; to: ScheduleStatus }> = {
  [ScheduleAction.Pause]: { from: [ScheduleStatus.Active], to: ScheduleStatus.Paused },
  [ScheduleAction.Resume]: { from: [ScheduleStatus.Paused], to: ScheduleStatus.Active },
  [ScheduleAction.Cancel]: { from: [ScheduleStatus.Active, ScheduleStatus.Paused], to: ScheduleStatus.Cancelled },
};

export class IllegalScheduleTransitionError extends Error {
  constructor(
    readonly from: ScheduleStatus,
    readonly action: ScheduleAction,
  ) {
    super(`A schedule that is ${from} cannot ${action}; only a schedule that is ${TRANSITIONS[action].from.join(' or ')} can`);
  }
}

/** The status after `action`, or IllegalScheduleTransitionError when the state machine forbids it. */
export function nextScheduleStatus(from: ScheduleStatus, action: ScheduleAction): ScheduleStatus {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(from)) throw new IllegalScheduleTransitionError(from, action);
  return transition.to;
}
