import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../local/src/config/env.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

// Lints in the spirit of Supabase's splinter (https://supabase.github.io/splinter/), run against
// the database every migration built. Each lint lists what it finds; an exception belongs in its
// allow-list with the reason it is safe, so a new table or function cannot slip past silently.

const pool = sqlPool();
afterAll(() => pool.end());

/** The roles a browser holds: the anon key, a signed-in user's JWT, and everything granted to public. */
const BROWSER_ROLES = ["anon", "authenticated"] as const;

/** Column names that hold a secret (whole words, so `input_tokens` or `agent_key` do not match). */
const SECRET_COLUMN =
  "(^|_)(secret|secrets|password|passwd|token|jwt|api_key|apikey|private_key|cipher|ciphertext|credential|credentials|encrypted|encrypted_key|service_role)($|_)";

async function names(sql: string, params: unknown[] = []): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(sql, params);
  return rows.map((r) => r.name).sort();
}

/**
 * Test files build their own tables and functions in the shared test database, named `rest_…`
 * (supabase/testing/rest-fixtures.ts) and `rt_…` (the realtime tests), and drop them after; the
 * lints look at the product's schema, so those names are left out (and no migration uses them:
 * see the last test).
 */
const TEST_FIXTURE_NAMES = "^(rest|rt)_";

/** Functions that belong to an extension are theirs to lint, not ours. */
const notFromExtension = `not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`;

describe("security lints over the public schema", () => {
  // splinter 0028/0029: a security definer function bypasses RLS; the anon key may only sign in.
  it("lets anon execute no security definer function", async () => {
    const found = await names(
      `select p.oid::regprocedure::text as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prosecdef and has_function_privilege('anon', p.oid, 'execute') and ${notFromExtension}
         and p.proname !~ '${TEST_FIXTURE_NAMES}'`,
    );
    expect(found, "revoke execute from public, anon on these functions").toEqual([]);
  });

  // splinter 0024 (permissive policy): `using (true)` on select hands every row to every signed-in user.
  it("has no always-true select policy for a browser role", async () => {
    const found = await names(
      `select format('%s: "%s"', tablename, policyname) as name
       from pg_policies
       where schemaname = 'public' and permissive = 'PERMISSIVE' and cmd in ('SELECT', 'ALL')
         and (qual is null or btrim(qual) in ('true', '(true)'))
         and roles && array['public', 'anon', 'authenticated']::name[]
         and tablename !~ '${TEST_FIXTURE_NAMES}'`,
    );
    expect(found, "scope these policies to project members (public.has_project_role)").toEqual([]);
  });

  // splinter 0013 / sensitive columns exposed: a column that names a secret is never readable in the browser.
  it("lets no browser role read a secret-like column", async () => {
    const found = await names(
      `select distinct format('%s.%s (%s)', c.table_name, c.column_name, r.role) as name
       from information_schema.columns c
       cross join unnest($1::text[]) as r(role)
       where c.table_schema = 'public' and c.column_name ~* $2 and c.table_name !~ '${TEST_FIXTURE_NAMES}'
         and has_column_privilege(r.role, format('public.%I', c.table_name), c.column_name, 'SELECT')`,
      [BROWSER_ROLES, SECRET_COLUMN],
    );
    // The pattern is not vacuous: it recognises where provider keys are kept (service role only).
    const secrets = await names(
      "select format('%s.%s', table_name, column_name) as name from information_schema.columns where table_schema = 'public' and column_name ~* $1",
      [SECRET_COLUMN],
    );
    expect(secrets).toContain("provider_connection_secrets.ciphertext");
    expect(found, "revoke select on these columns from browser roles, or keep the secret out of the table").toEqual([]);
  });

  // splinter 0013 (rls_disabled_in_public): a table without RLS is open to whoever holds a grant.
  it("enables row level security on every table", async () => {
    const found = await names(
      `select c.relname::text as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity and c.relname !~ '${TEST_FIXTURE_NAMES}'
         and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')`,
    );
    expect(found, "alter table … enable row level security in the migration that creates the table").toEqual([]);
  });

  // splinter 0011 (function_search_path_mutable): an unpinned search_path lets a caller's objects shadow ours.
  it("pins the search_path of every function", async () => {
    const found = await names(
      `select p.oid::regprocedure::text as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prokind in ('f', 'p')
         and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) cfg where cfg like 'search_path=%')
         and ${notFromExtension} and p.proname !~ '${TEST_FIXTURE_NAMES}'`,
    );
    expect(found, "add set search_path = '' and qualify every name").toEqual([]);
  });

  it("leaves out only test fixtures: no migration names a table or function like one", () => {
    const schema = fs.readFileSync(path.join(repoRoot, "supabase", "schema.sql"), "utf8");
    const named = schema.match(/\b(?:TABLE|FUNCTION|table|function) public\.(?:rest|rt)_\w+/g) ?? [];
    expect(named).toEqual([]);
  });
});
