import { z } from "zod";

/**
 * The browser's supabase-js keeps the session in localStorage, which the server never sees. So
 * that the server can render a project page with its rows on the first response (rather than a
 * "Loading…" screen that waits for the page's JavaScript), the browser mirrors the session's
 * access token into this cookie (get-browser-client.ts) and the server reads the page's rows with
 * it, as the signed-in user: RLS decides, exactly as for the browser's own reads. The refresh
 * token is never mirrored; the cookie lives as long as the access token and no longer.
 */
export const SESSION_COOKIE = "mc-session";

/**
 * The reader's locale and time zone, mirrored next to the session, so the server formats dates
 * exactly as the browser will when it takes over the page (a difference would discard the server's
 * HTML at hydration).
 */
export const CLOCK_COOKIE = "mc-clock";

/** How dates are formatted for this reader: their locale and time zone. */
export const ZClock = z.object({ locale: z.string().min(2).max(64), timeZone: z.string().min(1).max(64) });
export type TClock = z.infer<typeof ZClock>;

/** The clock cookie's value for `clock` (cookie-safe). */
export function clockCookieValue(clock: TClock): string {
  return encodeURIComponent(`${clock.locale}|${clock.timeZone}`);
}

/** The clock a cookie value names, or null when it names none this runtime can format with. */
export function parseClockCookie(value: string | undefined): TClock | null {
  if (!value) return null;
  try {
    const [locale, timeZone] = decodeURIComponent(value).split("|");
    const clock = ZClock.safeParse({ locale, timeZone });
    if (!clock.success) return null;
    // Throws a RangeError for a locale or zone this runtime does not know.
    new Intl.DateTimeFormat(clock.data.locale, { timeZone: clock.data.timeZone });
    return clock.data;
  } catch {
    return null;
  }
}

/** A `document.cookie` assignment that sets (or, with maxAgeSeconds <= 0, deletes) a cookie for the whole site. */
export function cookieAssignment(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  const age = Math.max(0, Math.floor(maxAgeSeconds));
  return `${name}=${age > 0 ? value : ""}; Path=/; Max-Age=${age}; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * The session cookie's assignment for what supabase-js stored under its key (a JSON session, or
 * null when signed out): the access token until it expires, or a deletion.
 */
export function sessionCookieAssignment(stored: string | null, nowMs: number, secure: boolean): string {
  let token = "";
  let maxAge = 0;
  if (stored) {
    try {
      const session = JSON.parse(stored) as { access_token?: unknown; expires_at?: unknown };
      if (typeof session.access_token === "string" && typeof session.expires_at === "number") {
        token = session.access_token;
        maxAge = session.expires_at - nowMs / 1000;
      }
    } catch {
      // Not a session: the cookie goes.
    }
  }
  return cookieAssignment(SESSION_COOKIE, token, maxAge, secure);
}
