/**
 * Life of a bulletin: queued (waiting for a free render slot) → processing → ready → approved; rejected with a
 * reason; archived hides it from scheduling.
 */
export enum BulletinStatus {
  Queued = 'queued',
  Processing = 'processing',
  Ready = 'ready',
  Failed = 'failed',
  Approved = 'approved',
  Rejected = 'rejected',
  Archived = 'archived',
}

export enum BulletinAction {
  StartProcessing = 'start-processing',
  FinishProcessing = 'finish-processing',
  FailProcessing = 'fail-processing',
  Approve = 'approve',
  Reject = 'reject',
  Archive = 'archive',
}

const TRANSITIONS: Record<BulletinAction, { from: BulletinStatus[]; to: BulletinStatus }> = {
  [BulletinAction.StartProcessing]: { from: [BulletinStatus.Queued], to: BulletinStatus.Processing },
  [BulletinAction.FinishProcessing]: { from: [BulletinStatus.Processing], to: BulletinStatus.Ready },
  // A render that failed for good fails its bulletin, even if it never got as far as starting.
  [BulletinAction.FailProcessing]: { from: [BulletinStatus.Queued, BulletinStatus.Processing], to: BulletinStatus.Failed },
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
