import type { IncomingMessage } from "node:http";
import { HttpError, readJsonBody, sendJson } from "../http/http-helpers.ts";
import type { TGatewayContext, THttpModule, TRouteHandler } from "../http/module-context.ts";
import { JwtError } from "../keys/jwt-keys.ts";
import { verifiedRole } from "./admin-token.ts";
import { adminUpdateUser } from "./admin-update-user.ts";
import { adminCreateUser, adminDeleteUser, adminGetUser, adminListUsers, requireServiceRole } from "./admin-users.ts";
import { isAnonymousSignUp, signInAnonymously } from "./anonymous-sign-in.ts";
import { localAuthConfig } from "./auth-config.ts";
import { AUTH_API_VERSION, authError, renderAuthError } from "./auth-errors.ts";
import { authSettings } from "./auth-settings.ts";
import { getUser, logOut, updateUser } from "./current-user.ts";
import { challengeFactor } from "./factors-challenge.ts";
import { enrollFactor } from "./factors-enroll.ts";
import { unenrollFactor } from "./factors-unenroll.ts";
import { verifyFactor } from "./factors-verify.ts";
import { generateLink } from "./generate-link.ts";
import { grantPassword, grantRefreshToken } from "./grant-token.ts";
import { inviteUser } from "./invite-user.ts";
import { signInWithOtp } from "./otp-sign-in.ts";
import { recoverPassword } from "./recover-password.ts";
import { signUp } from "./sign-up.ts";
import { routeKey, unknownAuthPath } from "./unknown-auth-path.ts";
import { verifyGet, verifyPost } from "./verify-token.ts";

const VERSION_HEADER = { "x-supabase-api-version": AUTH_API_VERSION };

/** Every auth call but /health needs a valid API key, as behind hosted Supabase's gateway. */
async function requireApiKey(ctx: TGatewayContext, req: IncomingMessage): Promise<void> {
  const apikey = req.headers.apikey;
  const bearer = /^bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? "")?.[1];
  const key = typeof apikey === "string" && apikey !== "" ? apikey : bearer;
  if (!key) throw authError(401, "no_authorization", "No API key found in request: send the anon key in the apikey header");
  try {
    await verifiedRole(ctx, key);
  } catch (err) {
    if (err instanceof JwtError) throw authError(401, "bad_jwt", `Invalid API key: ${err.reason}`);
    throw err;
  }
}

/**
 * The user id of an admin path. As GoTrue's loadUser: anything but a UUID (bad percent-encoding
 * and a NUL included) is a 404 validation_failed, never a database error.
 */
function decodeUserId(segment: string): string {
  let id = "";
  try {
    id = decodeURIComponent(segment);
  } catch {
    id = "";
  }
  if (!/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(id)) {
    throw authError(404, "validation_failed", "user_id must be an UUID");
  }
  return id;
}

async function jsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJsonBody(req).catch((err: unknown) => {
    // GoTrue's words for a body that is no JSON (the reader speaks PostgREST's).
    if (err instanceof HttpError && err.status === 400)
      throw authError(400, "bad_json", `Could not parse request body as JSON: ${err.message}`);
    throw err;
  });
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw authError(400, "bad_json", "The request body must be a JSON object");
  return body as Record<string, unknown>;
}

/**
 * GoTrue-compatible `/auth/v1`: the subset supabase-js calls for email + password accounts
 * (signup, password and refresh-token grants, user, logout, admin users). Every failure, an
 * unknown path included, is answered in GoTrue's error shape for the request's API version.
 */
export function createAuthApi(ctx: TGatewayContext): THttpModule {
  const config = localAuthConfig(ctx.publicUrl);
  const route: TRouteHandler = async (req, res, subpath, url) => {
    const method = req.method ?? "GET";
    const ok = (body: unknown, status = 200) => sendJson(res, status, body, VERSION_HEADER);
    if (subpath === "/health" && (method === "GET" || method === "HEAD")) {
      return ok({ version: "mission-control-local", name: "GoTrue", description: "GoTrue-compatible auth of the embedded local stack" });
    }
    // Links in mails are opened without an API key: hosted Supabase routes GET /verify past key auth.
    if (!(subpath === "/verify" && method === "GET")) await requireApiKey(ctx, req);
    const userId = () => decodeUserId(subpath.slice("/admin/users/".length));
    const factorId = () => subpath.split("/")[2] ?? "";
    switch (`${method} ${routeKey(subpath)}`) {
      case "GET /settings":
        return ok(authSettings({ anonymousUsers: ctx.anonymousSignIns === true }));
      case "POST /signup": {
        const body = await jsonObject(req);
        return ok(isAnonymousSignUp(body) ? await signInAnonymously(ctx, body) : await signUp(ctx, body));
      }
      case "POST /token": {
        const grant = url.searchParams.get("grant_type");
        if (grant === "password") return ok(await grantPassword(ctx, await jsonObject(req)));
        if (grant === "refresh_token") return ok(await grantRefreshToken(ctx, await jsonObject(req)));
        // GoTrue's answer, code and wording, to a grant it does not know.
        throw authError(
          400,
          "invalid_credentials",
          `unsupported_grant_type: "${(grant ?? "").slice(0, 100)}" is not supported; the local stack supports password and refresh_token`,
        );
      }
      case "GET /user":
        return ok(await getUser(ctx, req));
      case "PUT /user":
        return ok(await updateUser(ctx, config, req, url, await jsonObject(req)));
      case "POST /logout":
        await logOut(ctx, req, url.searchParams.get("scope") ?? "global");
        res.writeHead(204, VERSION_HEADER).end();
        return;
      case "POST /admin/users":
        await requireServiceRole(ctx, req);
        return ok(await adminCreateUser(ctx, await jsonObject(req)));
      case "GET /admin/users": {
        await requireServiceRole(ctx, req);
        const page = await adminListUsers(ctx, url);
        return sendJson(res, 200, page.body, { ...VERSION_HEADER, ...page.headers });
      }
      case "GET /admin/users/:id":
        await requireServiceRole(ctx, req);
        return ok(await adminGetUser(ctx, userId()));
      case "DELETE /admin/users/:id":
        await requireServiceRole(ctx, req);
        return ok(await adminDeleteUser(ctx, userId(), await jsonObject(req)));
      case "PUT /admin/users/:id":
        await requireServiceRole(ctx, req);
        return ok(await adminUpdateUser(ctx, userId(), await jsonObject(req)));
      case "POST /invite":
        await requireServiceRole(ctx, req);
        return ok(await inviteUser(ctx, config, req, url, await jsonObject(req)));
      case "POST /admin/generate_link":
        await requireServiceRole(ctx, req);
        return ok(await generateLink(ctx, config, req, url, await jsonObject(req)));
      case "POST /otp":
        return ok(await signInWithOtp(ctx, config, req, url, await jsonObject(req)));
      case "POST /recover":
        return ok(await recoverPassword(ctx, config, req, url, await jsonObject(req)));
      case "GET /verify":
        return verifyGet(ctx, config, req, res, url);
      case "POST /verify":
        return ok(await verifyPost(ctx, await jsonObject(req)));
      case "POST /factors":
        return ok(await enrollFactor(ctx, req, await jsonObject(req)));
      case "POST /factors/:id/challenge":
        // The body (supabase-js sends its params; GoTrue reads `channel` for phone factors) must still be JSON.
        await jsonObject(req);
        return ok(await challengeFactor(ctx, req, factorId()));
      case "POST /factors/:id/verify":
        return ok(await verifyFactor(ctx, req, factorId(), await jsonObject(req)));
      case "DELETE /factors/:id":
        return ok(await unenrollFactor(ctx, req, factorId()));
      default:
        throw unknownAuthPath(method, subpath);
    }
  };
  return {
    handle: async (req, res, subpath, url) => {
      try {
        await route(req, res, subpath, url);
      } catch (err) {
        // Thrown on as an HttpError: the gateway drains the body and writes it.
        if (res.headersSent) throw err;
        throw renderAuthError(req, err, ctx.log);
      }
    },
    close: async () => {},
  };
}
