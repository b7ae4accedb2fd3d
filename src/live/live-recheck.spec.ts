import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { sameAudience } from './live-recheck';

const opened: AuthUser = {
  id: 'u',
  username: 'u',
  role: Role.Editor,
  communeIds: ['c1', 'c2'],
  villageIds: [],
  tokenId: 't',
  tokenExpiresAt: new Date(),
};

describe('a live stream keeps its audience only while the account does', () => {
  it('keeps the same role and scope, in any order', () => {
    expect(sameAudience({ ...opened, communeIds: ['c2', 'c1'] }, opened)).toBe(true);
  });

  it('ends on a new role, a commune more or less, or other villages', () => {
    expect(sameAudience({ ...opened, role: Role.Viewer }, opened)).toBe(false);
    expect(sameAudience({ ...opened, communeIds: ['c1'] }, opened)).toBe(false);
    expect(sameAudience({ ...opened, communeIds: ['c1', 'c2', 'c3'] }, opened)).toBe(false);
    expect(sameAudience({ ...opened, villageIds: ['v1'] }, opened)).toBe(false);
  });
});
