import { createSupabaseClient, type Database } from "@mission-control/shared/db";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { TClientConfig } from "../config/client-config.ts";
import { CLOCK_COOKIE, clockCookieValue, cookieAssignment, sessionCookieAssignment } from "./session-cookie.ts";

/** The dashboard's typed Supabase client. */
export type TBrowserClient = SupabaseClient<Database>;

/** Where supabase-js keeps the session in localStorage (e2e specs sign in through the API and put it there). */
export const AUTH_STORAGE_KEY = "mission-control-auth";

/** The clock cookie is refreshed on every load; a year keeps it through holidays. */
const CLOCK_COOKIE_MAX_AGE = 365 * 24 * 3600;

let client: { key: string; value: TBrowserClient } | undefined;

/** Sets the session cookie from what supabase-js stored (session-cookie.ts says why). */
function mirrorSession(stored: string | null): void {
  // biome-ignore lint/suspicious/noDocumentCookie: synchronous like supabase-js's storage calls, and the Cookie Store API exists only in secure contexts (not a dashboard served over plain http on a LAN); the value is built and checked by session-cookie.ts
  document.cookie = sessionCookieAssignment(stored, Date.now(), window.location.protocol === "https:");
}

/** Mirrors the reader's locale and time zone for the server's first render of the next page. */
function mirrorClock(): void {
  const { locale, timeZone } = new Intl.DateTimeFormat().resolvedOptions();
  // biome-ignore lint/suspicious/noDocumentCookie: as in mirrorSession
  document.cookie = cookieAssignment(
    CLOCK_COOKIE,
    clockCookieValue({ locale, timeZone }),
    CLOCK_COOKIE_MAX_AGE,
    window.location.protocol === "https:",
  );
}

/** localStorage, with every write of the session mirrored into the session cookie. */
const mirroredStorage = {
  getItem: (key: string) => window.localStorage.getItem(key),
  setItem: (key: string, value: string) => {
    window.localStorage.setItem(key, value);
    if (key === AUTH_STORAGE_KEY) mirrorSession(value);
  },
  removeItem: (key: string) => {
    window.localStorage.removeItem(key);
    if (key === AUTH_STORAGE_KEY) mirrorSession(null);
  },
};

/**
 * The one Supabase client of the browser tab (session persisted in localStorage, refreshed
 * automatically, its access token mirrored into a cookie for the server's first render of a page).
 * Created on first use with the request-time configuration.
 */
export function getBrowserClient(config: TClientConfig): TBrowserClient {
  const key = `${config.supabaseUrl}|${config.supabaseAnonKey}`;
  if (client?.key === key) return client.value;
  const inBrowser = typeof window !== "undefined";
  if (inBrowser) {
    try {
      // A session stored before this load (or by a test) gets its cookie now, not at its next refresh.
      mirrorSession(window.localStorage.getItem(AUTH_STORAGE_KEY));
      mirrorClock();
    } catch {
      // Storage or cookies refused: pages render in the browser only, as they would without the cookie.
    }
  }
  const value = createSupabaseClient(config.supabaseUrl, config.supabaseAnonKey, {
    auth: {
      persistSession: true,
      autoRefreshToken: true,
      detectSessionInUrl: false,
      storageKey: AUTH_STORAGE_KEY,
      ...(inBrowser ? { storage: mirroredStorage } : {}),
    },
  }) as unknown as TBrowserClient;
  client = { key, value };
  return value;
}
