import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { audienceOf, sees } from './live-audience';

const user = (role: Role, communeIds: string[], villageIds: string[]): AuthUser => ({
  id: 'u',
  username: 'u',
  role,
  communeIds,
  villageIds,
  tokenId: 't',
  tokenExpiresAt: new Date(),
});
const here = { communeId: 'c1', villageId: 'v1' };
const neighbour = { communeId: 'c1', villageId: 'v2' };
const elsewhere = { communeId: 'c2', villageId: 'v3' };

describe('live feed audience', () => {
  it('gives an admin everything', () => {
    const audience = audienceOf(user(Role.Admin, [], []));
    expect([here, neighbour, elsewhere].map((item) => sees(audience, item))).toEqual([true, true, true]);
  });

  it('gives an editor the communes of their scope', () => {
    const audience = audienceOf(user(Role.Editor, ['c1'], []));
    expect([here, neighbour, elsewhere].map((item) => sees(audience, item))).toEqual([true, true, false]);
  });

  it('gives an operator only their villages, even within their commune', () => {
    const audience = audienceOf(user(Role.Operator, ['c1'], ['v1']));
    expect([here, neighbour, elsewhere].map((item) => sees(audience, item))).toEqual([true, false, false]);
  });

  it('gives someone without a scope nothing', () => {
    const audience = audienceOf(user(Role.Viewer, [], []));
    expect(sees(audience, here)).toBe(false);
  });
});
