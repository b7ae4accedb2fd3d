import { Logger } from '@nestjs/common';
import { ScheduleChange, ScheduleChanges } from './schedule-changes';

const change: ScheduleChange = { kind: 'updated', scheduleId: 's1', communeId: 'c1' };

describe('schedule changes feed', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('waits for every listener before publish resolves', async () => {
    const feed = new ScheduleChanges();
    const heard: string[] = [];
    feed.subscribe(async (received) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      heard.push(`slow ${received.kind}`);
    });
    feed.subscribe(async (received) => void heard.push(`fast ${received.kind}`));
    await feed.publish(change);
    expect(heard.sort()).toEqual(['fast updated', 'slow updated']);
  });

  it('does not fail the change when a listener fails, and still tells the others', async () => {
    const feed = new ScheduleChanges();
    const heard: ScheduleChange[] = [];
    feed.subscribe(() => Promise.reject(new Error('PostgreSQL is away')));
    feed.subscribe(async (received) => void heard.push(received));
    await expect(feed.publish(change)).resolves.toBeUndefined();
    expect(heard).toEqual([change]);
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.objectContaining({ scheduleId: 's1' }), 'A schedule change listener failed');
  });

  it('stops telling a listener that unsubscribed', async () => {
    const feed = new ScheduleChanges();
    const heard: ScheduleChange[] = [];
    const unsubscribe = feed.subscribe(async (received) => void heard.push(received));
    unsubscribe();
    await feed.publish(change);
    expect(heard).toEqual([]);
  });
});
