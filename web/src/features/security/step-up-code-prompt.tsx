"use client";

import Link from "next/link";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import styles from "./security.module.css";
import { findVerifiedTotp, verifyTotpCode } from "./verify-totp-code.ts";

/**
 * Asks for the 6-digit code before a high-risk approval (the project requires a second factor
 * and this session has not verified one): challenge + verify through supabase-js makes the
 * session aal2, then `onDone(true)` lets the approval go on. Without an authenticator set up it
 * says where to set one up. `onDone(false)` when cancelled.
 */
export function StepUpCodePrompt({ onDone }: { onDone: (verified: boolean) => void }) {
  const { client, project } = useProject();
  const [factor, setFactor] = useState<{ id: string } | null | "loading">("loading");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    findVerifiedTotp(client)
      .then((found) => setFactor(found))
      .catch((err: unknown) => {
        setFactor(null);
        setError(err instanceof Error ? err.message : String(err));
      });
  }, [client]);

  useEffect(() => {
    if (factor !== "loading" && factor) input.current?.focus();
  }, [factor]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (factor === "loading" || !factor) return;
    setBusy(true);
    setError(null);
    try {
      await verifyTotpCode(client, factor.id, code);
      onDone(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <fieldset className={styles.prompt} aria-label="Second factor for this approval">
      <p>
        <strong>This is a high-risk action:</strong> {project.name} asks for a code from your authenticator app before approving it.
      </p>
      {factor === "loading" ? <p className="muted">Checking your authenticators…</p> : null}
      {factor === null ? (
        <p>
          You have no authenticator app set up. <Link href={`/p/${project.slug}/settings/security`}>Set one up in Settings → Security</Link>
          , then approve again.
        </p>
      ) : null}
      <form className={styles.codeForm} onSubmit={submit}>
        {factor && factor !== "loading" ? (
          <label className={styles.codeLabel}>
            <span>6-digit code</span>
            <input
              ref={input}
              className={styles.codeInput}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={7}
              placeholder="123456"
              required
            />
          </label>
        ) : null}
        <div className={styles.actions}>
          {factor && factor !== "loading" ? (
            <button type="submit" className="button small primary" disabled={busy}>
              {busy ? "Checking…" : "Verify and approve"}
            </button>
          ) : null}
          <button type="button" className="button small" disabled={busy} onClick={() => onDone(false)}>
            Cancel
          </button>
        </div>
      </form>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
