import "server-only";
import { createSupabaseClient } from "@mission-control/shared/db";
import { cookies } from "next/headers";
import { cache } from "react";
import { readWebEnv } from "@/env.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { readTokenClaims } from "../auth/read-token-claims.ts";
import { CLOCK_COOKIE, parseClockCookie, SESSION_COOKIE, type TClock } from "../auth/session-cookie.ts";
import type { TShellSession } from "../auth/use-session.ts";
import { readTasksStart, type TTasksStart } from "../tasks/read-task-pages.ts";
import { catchUpProject } from "./catch-up-project.ts";
import { createSupabaseLiveReader } from "./live-reader.ts";
import { createLiveStore, type TLiveSeed } from "./live-store.ts";
import { LIVE_TABLE_NAMES, parseLiveRows, type TLiveRow } from "./live-tables.ts";

/**
 * How long the server waits for a page's rows before it sends the page without them (the browser
 * then reads them itself, as it does for a visitor with no session cookie): a slow database never
 * holds a page back longer than this.
 */
const PRELOAD_BUDGET_MS = 1000;
/** Rows per window the server reads: a screenful or two of each list; the browser's catch-up reads the rest. */
const PRELOAD_WINDOW = 50;
/** A token this close to expiring is left to the browser, which refreshes it first. */
const EXPIRY_MARGIN_MS = 30_000;

/** What the server read for a project page: who is signed in, the reader's clock, and the rows. */
export interface TProjectPreload {
  session: TShellSession;
  clock: TClock;
  /** When the rows were read (ms since epoch): ages ("5 min ago") are rendered from it. */
  renderedAt: number;
  seed: TLiveSeed;
}

/** The signed-in reader of this request and a client reading as them, or null (no usable cookie, or not a member). */
interface TPreloadAccess {
  session: TShellSession;
  clock: TClock;
  client: TBrowserClient;
  projects: TLiveRow<"projects">[];
  project: TLiveRow<"projects">;
}

/**
 * The reader and their project, once per request (React's cache: the layout and the page share it).
 * The client reads with the anon key and the user's token, so RLS decides exactly as it does for the
 * browser, and every read of the request shares one PRELOAD_BUDGET_MS deadline.
 */
const readAccess = cache(async (slug: string): Promise<TPreloadAccess | null> => {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  const clock = parseClockCookie(jar.get(CLOCK_COOKIE)?.value);
  if (!token || !clock) return null;
  const claims = readTokenClaims(token);
  if (!claims || claims.exp * 1000 < Date.now() + EXPIRY_MARGIN_MS) return null;

  const env = readWebEnv();
  const budget = AbortSignal.timeout(PRELOAD_BUDGET_MS);
  const client = createSupabaseClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    // The user's token on every request; supabase-js keeps no session and refreshes nothing here.
    accessToken: async () => token,
    global: {
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, budget]) : budget }),
    },
  }) as unknown as TBrowserClient;
  try {
    const { data, error } = await client.from("projects").select("*");
    if (error) return null;
    const projects = parseLiveRows("projects", data);
    const project = projects.find((p) => p.slug === slug);
    if (!project) return null;
    // The gateway accepted the token (it checks the signature): its claims name the user.
    return { session: { access_token: token, user: { id: claims.sub, email: claims.email } }, clock, client, projects, project };
  } catch {
    return null;
  }
});

/**
 * Reads the project page's rows as the signed-in user, with the access token the browser mirrored
 * into the session cookie (session-cookie.ts): the same catch-up reads the browser makes (windows
 * capped at PRELOAD_WINDOW). Null, and the page renders in the browser as before, when there is no
 * usable cookie, the token is refused, the project is not one of the user's, or the reads take
 * longer than PRELOAD_BUDGET_MS. Never throws: a page without preloaded rows is still a page.
 */
export async function preloadProject(slug: string): Promise<TProjectPreload | null> {
  const access = await readAccess(slug);
  if (!access) return null;
  try {
    const store = createLiveStore();
    store.getState().applyRows("projects", access.projects);
    await catchUpProject(createSupabaseLiveReader(access.client), store, access.project.id, { maxWindow: PRELOAD_WINDOW });
    const { rows } = store.getState();
    const seed: Record<string, unknown[]> = {};
    for (const table of LIVE_TABLE_NAMES) {
      const tableRows = Object.values(rows[table]);
      if (tableRows.length) seed[table] = tableRows;
    }
    return { session: access.session, clock: access.clock, renderedAt: Date.now(), seed: seed as TLiveSeed };
  } catch {
    return null;
  }
}

/** The Tasks page's first screen (its columns' first pages, their counts, the table's first rows), or null as for preloadProject. */
export async function preloadTasks(slug: string): Promise<TTasksStart | null> {
  const access = await readAccess(slug);
  if (!access) return null;
  try {
    return await readTasksStart(access.client, access.project.id);
  } catch {
    return null;
  }
}
