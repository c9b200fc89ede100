import { AuthError } from "./auth-errors.ts";

/** Paths the local stack serves, with their methods (`:id` stands for one path segment). */
export const LOCAL_AUTH_ROUTES: Record<string, string[]> = {
  "/health": ["GET", "HEAD"],
  "/settings": ["GET"],
  "/signup": ["POST"],
  "/token": ["POST"],
  "/user": ["GET", "PUT"],
  "/logout": ["POST"],
  "/admin/users": ["GET", "POST"],
  "/admin/users/:id": ["GET", "PUT", "DELETE"],
  "/invite": ["POST"],
  "/admin/generate_link": ["POST"],
  "/otp": ["POST"],
  "/recover": ["POST"],
  "/verify": ["GET", "POST"],
  "/factors": ["POST"],
  "/factors/:id": ["DELETE"],
  "/factors/:id/challenge": ["POST"],
  "/factors/:id/verify": ["POST"],
};

/**
 * Calls hosted GoTrue answers that the local stack does not (methods and paths from GoTrue's
 * router, api.go), so such a call is told it is a real endpoint missing here, not a typo.
 */
const GOTRUE_ONLY_CALLS: Array<[string[], RegExp]> = [
  [["GET"], /^\/authorize$/],
  [["GET", "POST"], /^\/callback$/],
  [["GET"], /^\/\.well-known\/(jwks\.json|openid-configuration)$/],
  [["POST"], /^\/(resend|magiclink)$/],
  [["GET"], /^\/reauthenticate$/],
  [["GET"], /^\/user\/identities\/authorize$/],
  [["DELETE"], /^\/user\/identities\/[^/]+$/],
  [["POST"], /^\/sso$/],
  [["GET"], /^\/sso\/saml\/metadata$/],
  [["POST"], /^\/sso\/saml\/acs$/],
  [["GET"], /^\/admin\/audit$/],
  [["GET"], /^\/admin\/users\/[^/]+\/factors$/],
  [["PUT", "DELETE"], /^\/admin\/users\/[^/]+\/factors\/[^/]+$/],
  [["GET", "POST"], /^\/admin\/sso\/providers$/],
  [["GET", "PUT", "DELETE"], /^\/admin\/sso\/providers\/[^/]+$/],
];

/** The route key of a subpath (`/admin/users/<id>` → `/admin/users/:id`), or the subpath itself. */
export function routeKey(subpath: string): string {
  if (/^\/factors\/[^/]+(\/(challenge|verify))?$/.test(subpath)) return subpath.replace(/^\/factors\/[^/]+/, "/factors/:id");
  return /^\/admin\/users\/[^/]+$/.test(subpath) ? "/admin/users/:id" : subpath;
}

const served = () =>
  Object.entries(LOCAL_AUTH_ROUTES)
    .map(([path, methods]) => `${methods.filter((m) => m !== "HEAD").join("|")} ${path}`)
    .join(", ");

/**
 * The answer to a call no local endpoint takes. GoTrue's own router has no not-found handler:
 * chi answers "404 page not found" in plain text, and 405 with an `Allow` header for a known path
 * with another method. The local stack keeps those statuses and that wording, in GoTrue's error
 * shape (so supabase-js reports an AuthApiError with a code instead of failing to parse), and says
 * what it does serve.
 */
export function unknownAuthPath(method: string, subpath: string): AuthError {
  // The path echoes the request: bounded so a huge one does not make a huge answer.
  const path = `/auth/v1${subpath}`.slice(0, 200);
  if (GOTRUE_ONLY_CALLS.some(([methods, pattern]) => methods.includes(method) && pattern.test(subpath))) {
    return new AuthError(
      404,
      "not_found",
      `404 page not found: ${method} ${path} is a GoTrue endpoint the local stack does not implement; it serves ${served()}`,
    );
  }
  const allowed = LOCAL_AUTH_ROUTES[routeKey(subpath)];
  if (allowed) {
    return new AuthError(
      405,
      "method_not_allowed",
      `405 method not allowed: ${path} takes ${allowed.join(", ")}, not ${method}`,
      {},
      { allow: allowed.join(", ") },
    );
  }
  return new AuthError(404, "not_found", `404 page not found: ${path} is no auth endpoint; the local stack serves ${served()}`);
}
