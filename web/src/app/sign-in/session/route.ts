import { cookies } from "next/headers";
import { SIGN_IN_HANDOFF_COOKIE, SIGN_IN_SESSION_PATH, ZSignInHandoff } from "@/features/auth/sign-in-handoff.ts";

const NO_STORE = { "cache-control": "no-store" };

/**
 * `POST /sign-in/session`: gives the sign-in page the tokens of a sign-in the server made (see
 * /sign-in/password), once: the cookie is cleared in the same answer. POST so that nothing
 * prefetches or caches it; SameSite=Strict, so another site cannot make the browser send it.
 */
export async function POST(): Promise<Response> {
  const jar = await cookies();
  const raw = jar.get(SIGN_IN_HANDOFF_COOKIE)?.value;
  jar.set(SIGN_IN_HANDOFF_COOKIE, "", { path: SIGN_IN_SESSION_PATH, maxAge: 0, httpOnly: true, sameSite: "strict" });
  let parsed: ReturnType<typeof ZSignInHandoff.safeParse> | undefined;
  try {
    parsed = raw ? ZSignInHandoff.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8"))) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    return Response.json(
      { error: { code: "not_found", message: "No sign-in is waiting (it expired after two minutes or was already used): sign in again." } },
      { status: 404, headers: NO_STORE },
    );
  }
  return Response.json(parsed.data, { headers: NO_STORE });
}
