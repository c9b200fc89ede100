import crypto from "node:crypto";
import { createSupabaseClient } from "@mission-control/shared/db";
import type { SupabaseClient } from "@supabase/supabase-js";
import { SignJWT } from "jose";
import type pg from "pg";
import { serviceClient, stackInfo } from "./stack-clients.ts";

const noSession = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

/** Names of one test file's fixture tables and functions, all prefixed so files never collide. */
export interface TRestFixtureNames {
  authors: string;
  books: string;
  reviews: string;
  tags: string;
  bookTags: string;
  notes: string;
  open: string;
  add: string;
  booksBy: string;
  authorNames: string;
  touch: string;
  echo: string;
  countTags: string;
  loudTitle: string;
}

/** Fixture names for a prefix such as `rest_sel`. */
export function fixtureNames(prefix: string): TRestFixtureNames {
  return {
    authors: `${prefix}_authors`,
    books: `${prefix}_books`,
    reviews: `${prefix}_reviews`,
    tags: `${prefix}_tags`,
    bookTags: `${prefix}_book_tags`,
    notes: `${prefix}_notes`,
    open: `${prefix}_open`,
    add: `${prefix}_add`,
    booksBy: `${prefix}_books_by`,
    authorNames: `${prefix}_author_names`,
    touch: `${prefix}_touch`,
    echo: `${prefix}_echo`,
    countTags: `${prefix}_count_tags`,
    loudTitle: `${prefix}_loud_title`,
  };
}

/**
 * Creates authors, books (two FKs to authors), reviews, an RLS table owned by auth.uid(), an RLS
 * table with grants but no policy, and four functions; seeds them; then waits until the REST
 * schema cache sees them. Not added to the supabase_realtime publication.
 */
export async function createRestFixtures(sql: pg.Pool, prefix: string): Promise<TRestFixtureNames> {
  const n = fixtureNames(prefix);
  await sql.query(`
    drop table if exists ${n.bookTags}, ${n.tags}, ${n.reviews}, ${n.books}, ${n.authors}, ${n.notes}, ${n.open} cascade;
    create table ${n.authors} (
      id int primary key, name text not null, email text unique, born date, rating numeric,
      tags text[], meta jsonb, bio tsvector, span int4range
    );
    create table ${n.books} (
      id int primary key, title text not null,
      author_id int references ${n.authors} (id), editor_id int references ${n.authors} (id),
      pages int, published boolean, note text
    );
    create table ${n.reviews} (
      id serial primary key, book_id int not null references ${n.books} (id) on delete cascade,
      stars int not null check (stars between 1 and 5), body text
    );
    create table ${n.tags} (id int primary key, name text not null unique);
    create table ${n.bookTags} (
      book_id int references ${n.books} (id) on delete cascade, tag_id int references ${n.tags} (id) on delete cascade,
      primary key (book_id, tag_id)
    );
    create table ${n.notes} (
      id uuid primary key default extensions.gen_random_uuid(),
      owner_id uuid not null default auth.uid(),
      body text not null
    );
    alter table ${n.notes} enable row level security;
    revoke all on ${n.notes} from anon;
    create policy "Owners read their notes" on ${n.notes} for select to authenticated using (owner_id = auth.uid());
    create policy "Owners add their notes" on ${n.notes} for insert to authenticated with check (owner_id = auth.uid());
    create policy "Owners change their notes" on ${n.notes} for update to authenticated using (owner_id = auth.uid()) with check (owner_id = auth.uid());
    create policy "Owners delete their notes" on ${n.notes} for delete to authenticated using (owner_id = auth.uid());
    create table ${n.open} (id serial primary key, body text);
    alter table ${n.open} enable row level security;
    insert into ${n.authors} values
      (1, 'Ada', 'ada@example.test', '1815-12-10', 4.5, '{math,poetry}', '{"city":"London","langs":["en","fr"]}', to_tsvector('english', 'analytical engines and poetry'), '[1,10)'),
      (2, 'Brian', 'brian@example.test', '1942-01-01', 3.9, '{unix,c}', '{"city":"Toronto"}', to_tsvector('english', 'the c programming language'), '[5,20)'),
      (3, 'Chloé, "the quoted"', null, null, null, '{}', null, to_tsvector('english', 'quiet'), '[30,40)'),
      (4, 'Dan', 'dan@example.test', '1960-05-05', 4.9, '{math}', '{"city":"London"}', to_tsvector('english', 'algorithms'), null);
    insert into ${n.books} values
      (1, 'Notes on the engine', 1, 2, 120, true, null),
      (2, 'The C book', 2, null, 270, true, 'classic'),
      (3, 'Unix tales', 2, 1, 90, false, null),
      (4, 'Draft', null, null, null, null, 'no author yet'),
      (5, 'Algorithms', 4, 4, 800, true, 'long');
    insert into ${n.reviews} (book_id, stars, body) values
      (1, 5, 'visionary'), (1, 4, 'dense'), (2, 5, 'must read'), (3, 2, 'meh'), (5, 3, 'heavy');
    insert into ${n.tags} values (1, 'classic'), (2, 'systems'), (3, 'math');
    insert into ${n.bookTags} values (1, 1), (1, 3), (2, 1), (2, 2), (3, 2), (5, 3);
    insert into ${n.open} (body) values ('hidden by RLS');
    create function ${n.add}(a int, b int default 1) returns int language sql immutable as 'select a + b';
    create function ${n.booksBy}(author int) returns setof ${n.books} language sql stable as $$ select * from ${n.books} where author_id = author order by id $$;
    create function ${n.authorNames}() returns table (id int, name text) language sql stable as $$ select id, name from ${n.authors} order by id $$;
    create function ${n.echo}(payload jsonb) returns jsonb language sql immutable as 'select payload';
    create function ${n.countTags}(tags text[]) returns int language sql immutable as 'select cardinality(tags)';
    create function ${n.loudTitle}(b ${n.books}) returns text language sql stable as 'select upper(b.title)';
    create function ${n.touch}(note text) returns void language plpgsql volatile as $$ begin perform length(note); end $$;
  `);
  await waitForSchemaCache([n.authors, n.books, n.reviews, n.tags, n.bookTags, n.notes, n.open]);
  await waitForFunction(n.authorNames);
  return n;
}

/** Drops a file's fixture tables and functions. */
export async function dropRestFixtures(sql: pg.Pool, n: TRestFixtureNames): Promise<void> {
  await sql.query(`drop table if exists ${n.bookTags}, ${n.tags}, ${n.reviews}, ${n.books}, ${n.authors}, ${n.notes}, ${n.open} cascade;
    drop function if exists ${n.add}, ${n.authorNames}, ${n.touch}, ${n.echo}, ${n.countTags};`);
}

/** Polls until the gateway's schema cache knows every table (it reloads on NOTIFY pgrst). */
export async function waitForSchemaCache(tables: string[]): Promise<void> {
  const client = serviceClient();
  for (const table of tables) {
    for (let attempt = 0; ; attempt += 1) {
      const { error } = await client.from(table).select("*").limit(0);
      if (error?.code !== "PGRST205") break;
      if (attempt > 100) throw new Error(`REST schema cache never saw ${table}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function waitForFunction(name: string): Promise<void> {
  const client = serviceClient();
  for (let attempt = 0; ; attempt += 1) {
    const { error } = await client.rpc(name);
    if (error?.code !== "PGRST202") return;
    if (attempt > 100) throw new Error(`REST schema cache never saw function ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A user row in auth.users and a client whose requests carry that user's JWT. */
export async function clientForNewUser(sql: pg.Pool): Promise<{ client: SupabaseClient; userId: string; token: string }> {
  const userId = crypto.randomUUID();
  await sql.query("insert into auth.users (id, email) values ($1, $2)", [userId, `rest-${userId.slice(0, 8)}@example.test`]);
  const s = stackInfo();
  const token = await new SignJWT({ role: "authenticated", sub: userId, aud: "authenticated" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(s.jwtSecret));
  const client = createSupabaseClient(s.url, s.anonKey, { ...noSession, global: { headers: { Authorization: `Bearer ${token}` } } });
  return { client, userId, token };
}

/** Sends a raw request to the REST API with the service key (for what supabase-js cannot express). */
export async function restFetch(path: string, init: RequestInit & { key?: string } = {}): Promise<Response> {
  const s = stackInfo();
  const key = init.key ?? s.serviceRoleKey;
  const headers = new Headers(init.headers);
  headers.set("apikey", key);
  if (!headers.has("authorization")) headers.set("authorization", `Bearer ${key}`);
  return fetch(`${s.url}/rest/v1${path}`, { ...init, headers });
}
