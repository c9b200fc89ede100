"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useEffect, useState } from "react";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { getBrowserClient } from "./get-browser-client.ts";
import styles from "./sign-in-form.module.css";
import { signInWithPassword } from "./sign-in-with-password.ts";
import { useSession } from "./use-session.ts";

/** Email + password sign-in; sends the user on to where they were going (or the start page). */
export function SignInForm() {
  const config = useClientConfig();
  const router = useRouter();
  const params = useSearchParams();
  const session = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get("next"));

  useEffect(() => {
    if (session.status === "signed-in") router.replace(next);
  }, [session.status, next, router]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signInWithPassword(getBrowserClient(config), { email, password });
      router.replace(next);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={onSubmit} aria-labelledby="sign-in-title">
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden="true" />
          Mission Control
        </div>
        <h1 id="sign-in-title" className={styles.title}>
          Sign in
        </h1>
        <label className={styles.field}>
          <span>Email</span>
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className={styles.field}>
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
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

/** Only same-site paths are followed after sign-in. */
function safeNext(value: string | null): string {
  return value?.startsWith("/") && !value.startsWith("//") ? value : "/";
}
