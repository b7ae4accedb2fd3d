import { nestedDeeperThan, textsOf } from './json-walk';

describe('json walk', () => {
  it('counts each object or array as a level', () => {
    expect(nestedDeeperThan({}, 1)).toBe(false);
    expect(nestedDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestedDeeperThan({ a: [{ b: 'x' }] }, 3)).toBe(false);
    expect(nestedDeeperThan('text', 0)).toBe(false);
  });

  it('measures a million levels without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000)) as unknown;
    expect(nestedDeeperThan(deep, 32)).toBe(true);
    expect([...textsOf(deep)]).toEqual([]);
  });

  it("names every key and string by its path: an object's keys, then its values in order", () => {
    expect([...textsOf({ title: 'a', targets: { villageIds: ['v1', 'v2'] } })]).toEqual([
      { field: 'title', text: 'title' },
      { field: 'targets', text: 'targets' },
      { field: 'title', text: 'a' },
      { field: 'targets.villageIds', text: 'villageIds' },
      { field: 'targets.villageIds[0]', text: 'v1' },
      { field: 'targets.villageIds[1]', text: 'v2' },
    ]);
  });
});
