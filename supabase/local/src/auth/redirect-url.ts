import type { IncomingMessage } from "node:http";
import type { TAuthConfig } from "./auth-config.ts";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * GoTrue's IsRedirectURLValid, for the local stack: the site URL's scheme and host (any port on
 * a loopback host, RFC 8252), any http(s) URL on a loopback address, and `localhost` on any port
 * (what the local allow list holds: every app of the local stack is served on this machine, on
 * ports picked at start). Anything else is not allowed and the caller falls back to the site URL,
 * as GoTrue does.
 */
export function isRedirectAllowed(config: TAuthConfig, candidate: string): boolean {
  if (candidate === "" || candidate.length > 2048) return false;
  let target: URL;
  let site: URL;
  try {
    target = new URL(candidate);
    site = new URL(config.siteUrl);
  } catch {
    return false;
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return false;
  if (target.username !== "" || target.password !== "") return false;
  if (target.hostname === site.hostname && target.protocol === site.protocol) {
    return target.port === site.port || isLoopbackHost(target.hostname);
  }
  return isLoopbackHost(target.hostname);
}

/**
 * The redirect of a request as GoTrue's GetReferrer picks it: the `redirect_to` header or query
 * parameter (supabase-js sends `redirectTo` / `emailRedirectTo` there), then `bodyValue` (GoTrue
 * reads form bodies; generate_link and POST /verify take it in JSON), then the Referer, each only
 * when allowed; else the site URL.
 */
export function pickRedirect(config: TAuthConfig, req: IncomingMessage, url: URL, bodyValue?: unknown): string {
  const header = req.headers.redirect_to;
  const candidates = [
    typeof header === "string" ? header : undefined,
    url.searchParams.get("redirect_to") ?? undefined,
    typeof bodyValue === "string" ? bodyValue : undefined,
    req.headers.referer,
  ];
  for (const candidate of candidates) {
    if (candidate && isRedirectAllowed(config, candidate)) return candidate;
  }
  return config.siteUrl;
}
