import { slowdownMs } from './login-slowdown';

describe('sign-in slowdown of an account that failed too often', () => {
  const slowdown = { afterFailures: 3, maxMs: 10_000 };

  it('costs nothing within the allowance', () => {
    expect([0, 1, 2].map((failures) => slowdownMs(failures, slowdown))).toEqual([0, 0, 0]);
  });

  it('doubles with each further failure, up to the maximum', () => {
    expect([3, 4, 5, 6, 7, 8, 100].map((failures) => slowdownMs(failures, slowdown))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('is off with a maximum of 0', () => {
    expect(slowdownMs(50, { afterFailures: 3, maxMs: 0 })).toBe(0);
  });
});
