"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { getBrowserClient } from "./get-browser-client.ts";
import { safeNext } from "./safe-next.ts";
import styles from "./sign-in-form.module.css";
import { SIGN_IN_ERRORS, SIGN_IN_PASSWORD_PATH, SIGN_IN_SESSION_PATH, signInErrorMessage, ZSignInHandoff } from "./sign-in-handoff.ts";
import { signInWithPassword } from "./sign-in-with-password.ts";
import { useSession } from "./use-session.ts";

/**
 * Email + password sign-in; sends the user on to where they were going (or the start page).
 * Once hydrated, the form signs in through supabase-js. Before that (a slow first load, scripts
 * refused), the browser's own submission is a POST to /sign-in/password, which signs in on the
 * server and hands the session to this page: the password is never put in a URL.
 */
export function SignInForm() {
  const config = useClientConfig();
  const router = useRouter();
  const params = useSearchParams();
  const session = useSession();
  const [error, setError] = useState<string | null>(() => signInErrorMessage(params.get("error")));
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get("next"));
  const handoff = params.get("handoff") === "1";
  const handedOff = useRef(false);

  useEffect(() => {
    if (session.status === "signed-in" && !handoff) router.replace(next);
  }, [session.status, next, router, handoff]);

  // A sign-in the server made for a form posted before hydration: store its session here, once.
  useEffect(() => {
    if (!handoff || handedOff.current) return;
    handedOff.current = true;
    setBusy(true);
    void (async () => {
      try {
        const res = await fetch(SIGN_IN_SESSION_PATH, { method: "POST", cache: "no-store" });
        const tokens = ZSignInHandoff.safeParse(await res.json().catch(() => null));
        if (!res.ok || !tokens.success) throw new Error(SIGN_IN_ERRORS.handoff_expired);
        const { error: sessionError } = await getBrowserClient(config).auth.setSession(tokens.data);
        if (sessionError) throw new Error(SIGN_IN_ERRORS.handoff_expired);
        router.replace(next);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
        setBusy(false);
      }
    })();
  }, [handoff, config, next, router]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signInWithPassword(getBrowserClient(config), {
        email: String(form.get("email") ?? "").trim(),
        password: String(form.get("password") ?? ""),
      });
      router.replace(next);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  // The inputs are uncontrolled: what was typed before hydration stays, and both submissions read the same fields.
  return (
    <main className={styles.page}>
      <form className={styles.card} method="post" action={SIGN_IN_PASSWORD_PATH} onSubmit={onSubmit} aria-labelledby="sign-in-title">
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden="true" />
          Mission Control
        </div>
        <h1 id="sign-in-title" className={styles.title}>
          Sign in
        </h1>
        <input type="hidden" name="next" value={next} />
        <label className={styles.field}>
          <span>Email</span>
          <input type="email" name="email" autoComplete="username" required />
        </label>
        <label className={styles.field}>
          <span>Password</span>
          <input type="password" name="password" autoComplete="current-password" required />
        </label>
        {error ? (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        ) : null}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <p className={styles.hint}>
          Local stack: <code>operator@example.com</code> / <code>mission-control</code>
        </p>
      </form>
    </main>
  );
}
