import { allowedFrom, BulletinAction, BulletinStatus, IllegalTransitionError, nextStatus } from './bulletin-status';

const { Queued, Processing, Ready, Failed, Approved, Rejected, Archived } = BulletinStatus;

/** The state machine as users meet it, written out by hand so the spec does not echo the implementation. */
const LEGAL: Array<[BulletinStatus, BulletinAction, BulletinStatus]> = [
  [Queued, BulletinAction.StartProcessing, Processing],
  [Processing, BulletinAction.FinishProcessing, Ready],
  [Queued, BulletinAction.FailProcessing, Failed],
  [Processing, BulletinAction.FailProcessing, Failed],
  [Ready, BulletinAction.Approve, Approved],
  [Rejected, BulletinAction.Approve, Approved],
  [Ready, BulletinAction.Reject, Rejected],
  [Approved, BulletinAction.Reject, Rejected],
  [Ready, BulletinAction.Archive, Archived],
  [Approved, BulletinAction.Archive, Archived],
  [Rejected, BulletinAction.Archive, Archived],
  [Failed, BulletinAction.Archive, Archived],
];

const ALL_STATUSES = [Queued, Processing, Ready, Failed, Approved, Rejected, Archived];
const ALL_ACTIONS = [
  BulletinAction.StartProcessing,
  BulletinAction.FinishProcessing,
  BulletinAction.FailProcessing,
  BulletinAction.Approve,
  BulletinAction.Reject,
  BulletinAction.Archive,
];

const ACTION_WORDS: Record<BulletinAction, string> = {
  [BulletinAction.StartProcessing]: 'start processing',
  [BulletinAction.FinishProcessing]: 'finish processing',
  [BulletinAction.FailProcessing]: 'fail processing',
  [BulletinAction.Approve]: 'approve',
  [BulletinAction.Reject]: 'reject',
  [BulletinAction.Archive]: 'archive',
};

const ILLEGAL: Array<[BulletinStatus, BulletinAction]> = ALL_STATUSES.flatMap((from) =>
  ALL_ACTIONS.filter((action) => !LEGAL.some(([legalFrom, legalAction]) => legalFrom === from && legalAction === action)).map(
    (action): [BulletinStatus, BulletinAction] => [from, action],
  ),
);

describe('bulletin status machine', () => {
  it('covers every status and action the enums define', () => {
    expect(new Set(ALL_STATUSES)).toEqual(new Set(Object.values(BulletinStatus)));
    expect(new Set(ALL_ACTIONS)).toEqual(new Set(Object.values(BulletinAction)));
    expect(LEGAL.length + ILLEGAL.length).toBe(ALL_STATUSES.length * ALL_ACTIONS.length);
  });

  it.each(LEGAL)('%s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it.each(ILLEGAL)('a %s bulletin cannot %s', (from, action) => {
    expect(() => nextStatus(from, action)).toThrow(IllegalTransitionError);
  });

  it.each(ILLEGAL)('the refusal for %s / %s says what was attempted on what', (from, action) => {
    let thrown: unknown;
    try {
      nextStatus(from, action);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IllegalTransitionError);
    const error = thrown as IllegalTransitionError;
    expect(error.from).toBe(from);
    expect(error.action).toBe(action);
    expect(error.message).toBe(`A bulletin that is ${from} cannot ${ACTION_WORDS[action]}`);
  });

  it('words a refusal readably', () => {
    expect(() => nextStatus(Archived, BulletinAction.Approve)).toThrow('A bulletin that is archived cannot approve');
    expect(() => nextStatus(Ready, BulletinAction.FinishProcessing)).toThrow('A bulletin that is ready cannot finish processing');
  });

  it('keeps an archived bulletin archived: nothing leads out of it', () => {
    for (const action of ALL_ACTIONS) expect(() => nextStatus(Archived, action)).toThrow(IllegalTransitionError);
  });

  it('does not archive a bulletin while its audio is still being processed', () => {
    expect(() => nextStatus(Processing, BulletinAction.Archive)).toThrow(IllegalTransitionError);
  });

  it('does not approve audio that failed processing', () => {
    expect(() => nextStatus(Failed, BulletinAction.Approve)).toThrow(IllegalTransitionError);
  });

  it('lets an approver change their mind both ways', () => {
    const rejected = nextStatus(nextStatus(Ready, BulletinAction.Approve), BulletinAction.Reject);
    expect(rejected).toBe(Rejected);
    expect(nextStatus(rejected, BulletinAction.Approve)).toBe(Approved);
  });
});

describe('allowedFrom', () => {
  it.each(ALL_ACTIONS)('lists exactly the statuses %s is legal from', (action) => {
    const expected = LEGAL.filter(([, legalAction]) => legalAction === action).map(([from]) => from);
    expect([...allowedFrom(action)].sort()).toEqual([...expected].sort());
  });
});
