/** Life of a bulletin: processing → ready → approved; rejected with a reason; archived hides it from scheduling. */
export enum BulletinStatus {
  Processing = 'processing',
  Ready = 'ready',
  Failed = 'failed',
  Approved = 'approved',
  Rejected = 'rejected',
  Archived = 'archived',
}

export enum BulletinAction {
  FinishProcessing = 'finish-processing',
  FailProcessing = 'fail-processing',
  Approve = 'approve',
  Reject = 'reject',
  Archive = 'archive',
}

const TRANSITIONS: Record<BulletinAction, { from: BulletinStatus[]; to: BulletinStatus }> = {
  [BulletinAction.FinishProcessing]: { from: [BulletinStatus.Processing], to: BulletinStatus.Ready },
  [BulletinAction.FailProcessing]: { from: [BulletinStatus.Processing], to: BulletinStatus.Failed },
  [BulletinAction.Approve]: { from: [BulletinStatus.Ready, BulletinStatus.Rejected], to: BulletinStatus.Approved },
  [BulletinAction.Reject]: { from: [BulletinStatus.Ready, BulletinStatus.Approved], to: BulletinStatus.Rejected },
  [BulletinAction.Archive]: {
    from: [BulletinStatus.Ready, BulletinStatus.Approved, BulletinStatus.Rejected, BulletinStatus.Failed],
    to: BulletinStatus.Archived,
  },
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: BulletinStatus,
    readonly action: BulletinAction,
  ) {
    super(`A bulletin that is ${from} cannot ${action.replace('-', ' ')}`);
  }
}

/** The status after `action`, or IllegalTransitionError when the state machine forbids it. */
export function nextStatus(from: BulletinStatus, action: BulletinAction): BulletinStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(from)) throw new IllegalTransitionError(from, action);
  return rule.to;
}

/** Statuses from which `action` is allowed, for messages that tell the user what to do instead. */
export function allowedFrom(action: BulletinAction): readonly BulletinStatus[] {
  return TRANSITIONS[action].from;
}
