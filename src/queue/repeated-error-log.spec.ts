import { repeatedErrorLog } from './repeated-error-log';

describe('repeatedErrorLog', () => {
  let clock: number;
  let reports: Array<{ message: string; repeats: number }>;
  let log: (error: Error) => void;

  beforeEach(() => {
    clock = 0;
    reports = [];
    log = repeatedErrorLog(
      (error, repeats) => reports.push({ message: error.message, repeats }),
      30_000,
      () => clock,
    );
  });

  it('reports the first occurrence at once', () => {
    log(new Error('connect ECONNREFUSED'));
    expect(reports).toEqual([{ message: 'connect ECONNREFUSED', repeats: 0 }]);
  });

  it('swallows repeats inside the window and counts them in the next report', () => {
    for (let second = 0; second < 45; second++) {
      clock = second * 1000;
      log(new Error('connect ECONNREFUSED'));
    }
    expect(reports).toEqual([
      { message: 'connect ECONNREFUSED', repeats: 0 },
      { message: 'connect ECONNREFUSED', repeats: 29 },
    ]);
  });

  it('reports a different message at once, even inside the window', () => {
    log(new Error('connect ECONNREFUSED'));
    clock = 1000;
    log(new Error('READONLY You cannot write against a read only replica'));
    expect(reports.map((report) => report.message)).toEqual(['connect ECONNREFUSED', 'READONLY You cannot write against a read only replica']);
  });
});
