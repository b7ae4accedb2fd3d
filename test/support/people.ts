import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Role } from '../../src/auth/role';
import { Commune } from '../../src/communes/commune.entity';
import { Village } from '../../src/communes/village.entity';
import { UserView } from '../../src/users/user-view';
import { UsersService } from '../../src/users/users.service';

/** A signed-in caller: where the service is, and the bearer token to send. */
export interface Session {
  url: string;
  token: string;
  user: UserView;
  password: string;
}

export interface Places {
  commune: Commune;
  village: Village;
  /** A second village of the same commune. */
  neighbourVillage: Village;
  otherCommune: Commune;
  otherVillage: Village;
}

export type Person = 'admin' | 'editor' | 'approver' | 'operator' | 'viewer' | 'otherEditor' | 'otherApprover' | 'otherOperator';
export type People = Record<Person, Session>;

export function authHeader(session: Session): Record<string, string> {
  return { Authorization: `Bearer ${session.token}` };
}

/** Two communes with villages, named uniquely so that test files sharing the database never collide. */
export async function createPlaces(dataSource: DataSource): Promise<Places> {
  const tag = randomUUID().slice(0, 8);
  const communes = dataSource.getRepository(Commune);
  const villages = dataSource.getRepository(Village);
  const commune = await communes.save(communes.create({ name: `Xã Việt An ${tag}` }));
  const otherCommune = await communes.save(communes.create({ name: `Xã Tam Thanh ${tag}` }));
  return {
    commune,
    otherCommune,
    village: await villages.save(villages.create({ communeId: commune.id, name: 'Thôn Phú Mỹ' })),
    neighbourVillage: await villages.save(villages.create({ communeId: commune.id, name: 'Thôn Tân Phong' })),
    otherVillage: await villages.save(villages.create({ communeId: otherCommune.id, name: 'Thôn Hà Lam' })),
  };
}

export async function login(url: string, username: string, password: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Creates an account through the service (as the admin CLI does) and signs it in over HTTP. */
export async function createSession(app: INestApplication, url: string, role: Role, scope: { communeIds?: string[]; villageIds?: string[] } = {}): Promise<Session> {
  const username = `${role}-${randomUUID().slice(0, 8)}`;
  const password = `Loa-${randomUUID()}`;
  const user = await app.get(UsersService).create({ username, displayName: username, role, password, ...scope });
  const answer = await login(url, username, password);
  if (answer.status !== 200) throw new Error(`could not sign in ${username}: ${JSON.stringify(answer.body)}`);
  return { url, token: answer.body.accessToken as string, user, password };
}

/** One person of every role in the first commune, and people of the other commune and village. */
export async function createPeople(app: INestApplication, url: string, places: Places): Promise<People> {
  const inCommune = { communeIds: [places.commune.id] };
  const inOther = { communeIds: [places.otherCommune.id] };
  return {
    admin: await createSession(app, url, Role.Admin),
    editor: await createSession(app, url, Role.Editor, inCommune),
    approver: await createSession(app, url, Role.Approver, inCommune),
    operator: await createSession(app, url, Role.Operator, { villageIds: [places.village.id] }),
    viewer: await createSession(app, url, Role.Viewer, inCommune),
    otherEditor: await createSession(app, url, Role.Editor, inOther),
    otherApprover: await createSession(app, url, Role.Approver, inOther),
    otherOperator: await createSession(app, url, Role.Operator, { villageIds: [places.neighbourVillage.id] }),
  };
}
