import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/**
 * The embedded PostgreSQL's roles. The superuser that initdb created only sets things up; the
 * owner role owns the schema and runs the migrations; the app role — what the server connects as —
 * may read and write rows, nothing else: no CREATE, no extension (pageinspect read dead tuples and
 * linked sealed secret ballots to voters), no superuser, and not even UPDATE or DELETE on the
 * append-only audit trail and ledger. With DATABASE_URL, the operator creates the same split
 * (README, "Database roles").
 */
export const OWNER_ROLE = 'collegia_owner';
export const APP_ROLE = 'collegia_app';

/** Tables written only by INSERT: the app role may not UPDATE, DELETE or TRUNCATE them. */
export const APPEND_ONLY_TABLES = ['audit_entry', 'ledger_entry'];

export interface RolePasswords {
  owner: string;
  app: string;
}

/** The roles' passwords, generated on first use and kept beside the data, owner-only. */
export async function rolePasswords(dataDir: string): Promise<RolePasswords> {
  const file = path.join(dataDir, 'postgres-roles.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as RolePasswords;
  const passwords = { owner: randomBytes(24).toString('base64url'), app: randomBytes(24).toString('base64url') };
  await writeFile(file, JSON.stringify(passwords), { mode: 0o600 });
  return passwords;
}

/** `url` with another user and password. */
export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * As the superuser (idempotent, at every start): creates the two roles or resets their
 * passwords, gives the database, its `public` schema and every object in it to the owner (a
 * database created by an earlier version belongs to the superuser), and takes CREATE on the
 * schema away from everybody else.
 */
export async function ensureRoles(superuserUrl: string, database: string, passwords: RolePasswords): Promise<void> {
  await withClient(superuserUrl, async (client) => {
    for (const [role, password] of [
      [OWNER_ROLE, passwords.owner],
      [APP_ROLE, passwords.app],
    ] as const) {
      const exists = (await client.query('select 1 from pg_roles where rolname = $1', [role])).rowCount;
      const verb = exists ? 'alter' : 'create';
      await client.query(
        `${verb} role ${client.escapeIdentifier(role)} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${client.escapeLiteral(password)}`,
      );
    }
    await client.query(`alter database ${client.escapeIdentifier(database)} owner to ${OWNER_ROLE}`);
    await client.query(`revoke create, temporary on database ${client.escapeIdentifier(database)} from public`);
    // The fusion's execution stages its moves in a temporary table.
    await client.query(`grant connect, temporary on database ${client.escapeIdentifier(database)} to ${APP_ROLE}`);
  });
  await withClient(withDatabaseName(superuserUrl, database), async (client) => {
    await client.query(`alter schema public owner to ${OWNER_ROLE}`);
    await client.query('revoke create on schema public from public');
    await client.query(`grant usage on schema public to ${APP_ROLE}`);
    // Objects an earlier version created as the superuser: tables (and their sequences), enum types, functions.
    const { rows } = await client.query<{ statement: string }>(
      `select format('alter table %I.%I owner to ${OWNER_ROLE}', n.nspname, c.relname) as statement
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm') and pg_get_userbyid(c.relowner) <> '${OWNER_ROLE}'
       union all
       select format('alter type %I.%I owner to ${OWNER_ROLE}', n.nspname, t.typname)
         from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = 'public' and t.typtype = 'e' and pg_get_userbyid(t.typowner) <> '${OWNER_ROLE}'
       union all
       select format('alter function %I.%I(%s) owner to ${OWNER_ROLE}', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> '${OWNER_ROLE}'`,
    );
    for (const { statement } of rows) await client.query(statement);
  });
}

/**
 * As the owner, after the migrations: the app role reads and writes the rows of every table
 * (and of those later migrations create), uses the sequences, and only appends to the
 * append-only tables.
 */
export async function grantAppRole(ownerUrl: string): Promise<void> {
  await withClient(ownerUrl, async (client) => {
    await client.query(`grant select, insert, update, delete on all tables in schema public to ${APP_ROLE}`);
    await client.query(`grant usage, select on all sequences in schema public to ${APP_ROLE}`);
    await client.query(`alter default privileges in schema public grant select, insert, update, delete on tables to ${APP_ROLE}`);
    await client.query(`alter default privileges in schema public grant usage, select on sequences to ${APP_ROLE}`);
    const { rows } = await client.query<{ name: string }>(
      `select tablename as name from pg_tables where schemaname = 'public' and tablename = any($1)`,
      [APPEND_ONLY_TABLES],
    );
    for (const { name } of rows) await client.query(`revoke update, delete, truncate on ${client.escapeIdentifier(name)} from ${APP_ROLE}`);
  });
}

function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
