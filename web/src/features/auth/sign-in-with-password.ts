import { AppError } from "@mission-control/shared/errors";
import type { Session } from "@supabase/supabase-js";
import { z } from "zod";
import type { TBrowserClient } from "./get-browser-client.ts";

/** What the sign-in form sends. */
export const ZSignInInput = z.object({
  email: z.email({ message: "Enter the email address of your account." }),
  password: z.string().min(1, { message: "Enter your password." }),
});

/**
 * Signs in with email and password and returns the session; in the browser supabase-js also stores
 * it and refreshes it on its own. Throws an AppError (invalid_input, unauthorized,
 * database_unreachable) whose message says what to do.
 */
export async function signInWithPassword(client: TBrowserClient, input: z.infer<typeof ZSignInInput>): Promise<Session> {
  const parsed = ZSignInInput.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_input", { message: parsed.error.issues[0]?.message ?? "Check the form." });
  let result: Awaited<ReturnType<TBrowserClient["auth"]["signInWithPassword"]>>;
  try {
    result = await client.auth.signInWithPassword(parsed.data);
  } catch (cause) {
    throw new AppError("database_unreachable", {
      message: "Supabase is unreachable: check that the stack is running, then try again.",
      cause,
    });
  }
  if (result.error) {
    const unreachable = result.error.status === undefined || result.error.status === 0 || result.error.name === "AuthRetryableFetchError";
    throw new AppError(unreachable ? "database_unreachable" : "unauthorized", {
      message: unreachable
        ? "Supabase is unreachable: check that the stack is running, then try again."
        : "Wrong email or password. Check both, or ask the project owner for an account.",
      cause: result.error,
    });
  }
  if (!result.data.session)
    throw new AppError("unauthorized", { message: "This account cannot sign in yet: confirm its email address first." });
  return result.data.session;
}
