import { QueryFailedError } from 'typeorm';
import { containsPattern, isUniqueViolation } from './query-helpers';

describe('containsPattern', () => {
  it('finds the text anywhere', () => {
    expect(containsPattern('thông báo')).toBe('%thông báo%');
  });

  it('takes the wildcards and the escape character a person types literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('isUniqueViolation', () => {
  const failure = (code: string) => new QueryFailedError('INSERT …', [], Object.assign(new Error('x'), { code }));

  it('recognises PostgreSQL unique_violation (23505)', () => {
    expect(isUniqueViolation(failure('23505'))).toBe(true);
  });

  it('is false for other database errors and for anything else', () => {
    expect(isUniqueViolation(failure('23503'))).toBe(false);
    expect(isUniqueViolation(new Error('23505'))).toBe(false);
  });
});
