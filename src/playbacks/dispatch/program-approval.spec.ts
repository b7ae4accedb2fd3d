import { BulletinStatus } from '../../bulletins/bulletin-status';
import { ApprovalCheck, RECHECK_LEAD_MS } from './program-approval';
import { CHIME_ITEM, ProgramItem } from './program-audio';

const item = (bulletinId: string): ProgramItem => ({ bulletinId, audio: { path: '/dev/null', sha256: 'x', durationMs: 1000 } });
const PROGRAM = [item(CHIME_ITEM), item('b1'), item('b2')];
type Withdrawn = Map<string, { title: string; status: BulletinStatus }>;
const rejected = (id: string, title: string): Withdrawn => new Map([[id, { title, status: BulletinStatus.Rejected }]]);

describe('ApprovalCheck', () => {
  afterEach(() => jest.useRealTimers());

  it('clears a program only when none of its bulletins is withdrawn, the chime being no bulletin', () => {
    expect(new ApprovalCheck(new Map(), async () => new Map()).cleared(PROGRAM)).toBe(true);
    expect(new ApprovalCheck(rejected('b2', 'Tin hai'), async () => new Map()).cleared(PROGRAM)).toBe(false);
    expect(new ApprovalCheck(rejected('other', 'Tin khác'), async () => new Map()).cleared(PROGRAM)).toBe(true);
  });

  it('names the withdrawn bulletins of the program, once each, with their status', () => {
    const check = new ApprovalCheck(rejected('b1', 'Tin một'), async () => new Map());
    expect(check.failure([...PROGRAM, item('b1')])).toEqual({ code: 'bulletin_withdrawn', detail: 'not sent to the speaker: "Tin một" is rejected' });
  });

  it('reads again RECHECK_LEAD_MS before the instant, and the new read decides', async () => {
    jest.useFakeTimers({ now: 0 });
    const read = jest.fn(async () => rejected('b1', 'Tin một'));
    const check = new ApprovalCheck(new Map(), read);
    check.recheckBefore(10_000);
    await jest.advanceTimersByTimeAsync(10_000 - RECHECK_LEAD_MS - 1);
    expect(read).not.toHaveBeenCalled();
    expect(check.cleared(PROGRAM)).toBe(true);
    await jest.advanceTimersByTimeAsync(1);
    expect(read).toHaveBeenCalledTimes(1);
    expect(check.cleared(PROGRAM)).toBe(false);
  });

  it('keeps the staging read when the read before the instant fails (PostgreSQL away)', async () => {
    jest.useFakeTimers({ now: 0 });
    const check = new ApprovalCheck(new Map(), async () => Promise.reject(new Error('connection refused')));
    check.recheckBefore(1_000);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(check.cleared(PROGRAM)).toBe(true);
  });
});
