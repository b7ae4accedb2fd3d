import { mayPreempt, mayTakeFreeSpeaker, priorityRank } from './preemption';

describe('pre-emption', () => {
  it('ranks emergency above priority above normal', () => {
    expect(priorityRank('emergency')).toBeGreaterThan(priorityRank('priority'));
    expect(priorityRank('priority')).toBeGreaterThan(priorityRank('normal'));
    expect(priorityRank('unknown')).toBe(priorityRank('normal'));
  });

  it.each([
    ['emergency', 'normal', true],
    ['emergency', 'priority', true],
    ['emergency', 'emergency', false],
    ['priority', 'normal', false],
    ['priority', 'priority', false],
    ['normal', 'normal', false],
    ['normal', 'emergency', false],
    ['priority', 'emergency', false],
  ])('%s may pre-empt %s: %s', (wanting, holding, expected) => {
    expect(mayPreempt(wanting, holding)).toBe(expected);
  });

  it('lets a free speaker go only to the highest priority known to wait for it', () => {
    expect(mayTakeFreeSpeaker('normal', null)).toBe(true);
    expect(mayTakeFreeSpeaker('normal', priorityRank('priority'))).toBe(false);
    expect(mayTakeFreeSpeaker('normal', priorityRank('emergency'))).toBe(false);
    expect(mayTakeFreeSpeaker('priority', priorityRank('priority'))).toBe(true);
    expect(mayTakeFreeSpeaker('priority', priorityRank('emergency'))).toBe(false);
    expect(mayTakeFreeSpeaker('emergency', priorityRank('emergency'))).toBe(true);
  });
});
