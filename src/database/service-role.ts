import { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** The role and password a service connection string logs in with. */
export function loginOf(url: string): { role: string; password: string } {
  const parsed = new URL(url);
  return { role: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
}

/**
 * Creates the service's login role when it does not exist yet (the owner needs CREATEROLE for that; otherwise a
 * database administrator creates it, see docs/airtime.md). An existing role is left as it is, password included.
 */
export async function ensureServiceRole(owner: Queryable, role: string, password: string): Promise<void> {
  const [{ present }] = (await owner.query('SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS present', [role])) as [{ present: boolean }];
  if (present) return;
  const [{ sql }] = (await owner.query(
    `SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD %L', $1::text, $2::text) AS sql`,
    [role, password],
  )) as [{ sql: string }];
  try {
    await owner.query(sql);
  } catch (error) {
    throw new Error(
      `The service role ${role} does not exist and the migration role may not create it (${(error as Error).message}); create it as in docs/airtime.md`,
    );
  }
}

/**
 * Grants the service role what the service does, and nothing it could use to rewrite history: read and write on
 * every table, except the append-only ones (those whose triggers call row_is_append_only()), where it may only read
 * and insert; no TRUNCATE, no DDL, no ownership. Default privileges give tables the owner creates later the same
 * grants, and this runs again after every migration run to take the append-only rights back on new tables.
 */
export async function grantServiceRole(owner: Queryable, role: string): Promise<void> {
  const [{ id }] = (await owner.query("SELECT format('%I', $1::text) AS id", [role])) as [{ id: string }];
  await owner.query(`GRANT USAGE ON SCHEMA public TO ${id}`);
  await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${id}`);
  await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${id}`);
  await owner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${id}`);
  await owner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${id}`);
  await owner.query(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${id}`);
  await owner.query(`REVOKE INSERT, UPDATE, DELETE ON migrations FROM ${id}`);
  const appendOnly = (await owner.query(
    `SELECT DISTINCT format('%I.%I', n.nspname, c.relname) AS name FROM pg_trigger t
     JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid
     WHERE p.proname = 'row_is_append_only' AND NOT t.tgisinternal`,
  )) as Array<{ name: string }>;
  for (const { name } of appendOnly) await owner.query(`REVOKE UPDATE, DELETE ON ${name} FROM ${id}`);
}
