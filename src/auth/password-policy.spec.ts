import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('accepts a long, uncommon passphrase, with Vietnamese letters', () => {
    expect(passwordProblem('Loa phát thanh thôn Phú Mỹ', 'hoa')).toBeNull();
  });

  it('counts characters, not bytes, for the length limits', () => {
    expect(passwordProblem('Đ'.repeat(PASSWORD_MIN_LENGTH - 1), 'hoa')).toMatch(/at least 8/);
    expect(passwordProblem('Đ'.repeat(PASSWORD_MIN_LENGTH), 'hoa')).toBeNull();
    expect(passwordProblem('ư'.repeat(PASSWORD_MAX_LENGTH), 'hoa')).toBeNull();
    expect(passwordProblem('ư'.repeat(PASSWORD_MAX_LENGTH + 1), 'hoa')).toMatch(/at most 128/);
  });

  it.each(['password', 'Password1', 'qwerty123', '12345678', 'iloveyou'])('refuses the common password %s, whatever its case', (password) => {
    expect(passwordProblem(password, 'hoa')).toMatch(/commonly used/);
  });

  it('refuses a password that contains the username', () => {
    expect(passwordProblem('my-bientap-password', 'BienTap')).toMatch(/username/);
  });

  it('does not apply the username rule to very short usernames, which would refuse half of all passwords', () => {
    expect(passwordProblem('an toàn thông tin', 'an')).toBeNull();
  });
});
