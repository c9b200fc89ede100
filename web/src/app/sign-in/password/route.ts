import { safeNext } from "@/features/auth/safe-next.ts";
import {
  SIGN_IN_HANDOFF_COOKIE,
  SIGN_IN_HANDOFF_MAX_AGE,
  SIGN_IN_SESSION_PATH,
  signInPageUrl,
  type TSignInHandoff,
} from "@/features/auth/sign-in-handoff.ts";
import { signInOnServer } from "@/features/auth/sign-in-on-server.ts";

/** A redirect the browser follows with GET (303), relative so it stays on the host the user typed. */
function seeOther(location: string, cookie?: string): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  if (cookie) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

/** Text answer for a request this route refuses. */
function refuse(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/**
 * `POST /sign-in/password`: where the sign-in form posts when the page's JavaScript has not taken
 * over (a slow first load, a dev server refusing its resources). Before, that native submission was
 * a GET that put the password in the URL, the history and the logs. The password travels in the
 * body only; whatever happens, the answer is a redirect to a URL without it. On success the tokens
 * wait in an HttpOnly cookie for the sign-in page to pick up (see sign-in-handoff.ts).
 */
export async function POST(request: Request): Promise<Response> {
  // A sign-in posted from another site would sign this browser into someone else's account.
  const origin = request.headers.get("origin");
  const host = request.headers.get("host");
  if (origin && host && origin !== "null" && URL.canParse(origin) && new URL(origin).host !== host) {
    return refuse(403, `Sign-in forms posted from ${origin} are refused: open the dashboard at http://${host}/sign-in and sign in there.`);
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.includes("application/x-www-form-urlencoded") && !contentType.includes("multipart/form-data")) {
    return refuse(415, "Post the sign-in form (application/x-www-form-urlencoded with email and password), or sign in at /sign-in.");
  }
  const form = await request.formData().catch(() => null);
  const field = (name: string) => {
    const value = form?.get(name);
    return typeof value === "string" ? value : "";
  };
  const next = safeNext(field("next"));
  const result = await signInOnServer({ email: field("email").trim(), password: field("password") });
  if (!result.ok) return seeOther(signInPageUrl(next, { error: result.reason }));
  const handoff: TSignInHandoff = { access_token: result.session.access_token, refresh_token: result.session.refresh_token };
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  const cookie =
    `${SIGN_IN_HANDOFF_COOKIE}=${Buffer.from(JSON.stringify(handoff)).toString("base64url")}; Path=${SIGN_IN_SESSION_PATH}; ` +
    `Max-Age=${SIGN_IN_HANDOFF_MAX_AGE}; HttpOnly; SameSite=Strict${secure}`;
  return seeOther(signInPageUrl(next, { handoff: true }), cookie);
}
