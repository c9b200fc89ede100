"use client";

import type { Factor } from "@supabase/supabase-js";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import { useFormatTime } from "../ui/clock.tsx";
import { mfaErrorMessage } from "./mfa-error-message.ts";
import styles from "./security.module.css";
import { hasSecondFactorSession, verifyTotpCode } from "./verify-totp-code.ts";

/** A factor being set up: what the authenticator app needs (shown once), until a code verifies it. */
interface TPendingFactor {
  id: string;
  qrCode: string;
  secret: string;
}

const ISSUER = "Mission Control";

/** The secret in groups of four, as authenticator apps show typed keys. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

/**
 * Settings → Security, your account: set up an authenticator app (TOTP through supabase-js
 * `auth.mfa`: enroll shows the QR code and the secret, a code verifies it and makes this session
 * aal2), or remove it (a verified one needs a code first when this session is not aal2).
 */
export function TotpFactorsSection() {
  const { client } = useProject();
  const formatTime = useFormatTime();
  const [factors, setFactors] = useState<Factor[] | null>(null);
  const [verifiedSession, setVerifiedSession] = useState(false);
  const [pending, setPending] = useState<TPendingFactor | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const { data, error: listError } = await client.auth.mfa.listFactors();
    if (listError) {
      setError(`Could not read your authenticators: ${listError.message}`);
      return;
    }
    setFactors(data.totp);
    setVerifiedSession(await hasSecondFactorSession(client));
  }, [client]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const start = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      // A setup left half-way holds the name: drop unverified factors first (no code needed for those).
      const { data } = await client.auth.mfa.listFactors();
      for (const stale of data?.all.filter((f) => f.status === "unverified") ?? []) {
        await client.auth.mfa.unenroll({ factorId: stale.id });
      }
      const { data: enrolled, error: enrollError } = await client.auth.mfa.enroll({
        factorType: "totp",
        friendlyName: "Authenticator app",
        issuer: ISSUER,
      });
      if (enrollError) throw new Error(mfaErrorMessage(enrollError));
      if (enrolled.type !== "totp") throw new Error("The server did not return a TOTP factor.");
      setPending({ id: enrolled.id, qrCode: enrolled.totp.qr_code, secret: enrolled.totp.secret });
      setCode("");
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    const factorId = pending?.id ?? removing;
    if (!factorId) return;
    setBusy(true);
    setError(null);
    try {
      await verifyTotpCode(client, factorId, code);
      if (removing) {
        const { error: unenrollError } = await client.auth.mfa.unenroll({ factorId: removing });
        if (unenrollError) throw new Error(mfaErrorMessage(unenrollError));
        setNotice("Authenticator removed: approvals that need a second factor will ask you to set one up again.");
      } else {
        setNotice("Authenticator added: this session is now verified with a second factor.");
      }
      setPending(null);
      setRemoving(null);
      setCode("");
      await refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (factorId: string) => {
    setError(null);
    setNotice(null);
    if (!verifiedSession) {
      // GoTrue removes a verified factor only from an aal2 session: ask for a code first.
      setRemoving(factorId);
      setCode("");
      return;
    }
    setBusy(true);
    try {
      const { error: unenrollError } = await client.auth.mfa.unenroll({ factorId });
      if (unenrollError) throw new Error(mfaErrorMessage(unenrollError));
      setNotice("Authenticator removed: approvals that need a second factor will ask you to set one up again.");
      await refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const codeForm = (label: string, submit: string) => (
    <form className={styles.codeForm} onSubmit={verify} aria-label={label}>
      <label className={styles.codeLabel}>
        <span>{label}</span>
        <input
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
      <div className={styles.actions}>
        <button type="submit" className="button small primary" disabled={busy}>
          {busy ? "Checking…" : submit}
        </button>
        <button
          type="button"
          className="button small"
          disabled={busy}
          onClick={() => {
            setPending(null);
            setRemoving(null);
            setError(null);
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );

  return (
    <section className={styles.group} aria-labelledby="security-account">
      <h2 className={styles.groupTitle} id="security-account">
        Two-factor authentication
      </h2>
      <p className="muted">
        Your account, in every project: an authenticator app (1Password, Google Authenticator, Authy…) gives a 6-digit code that changes
        every 30 seconds. Projects can ask for it before a high-risk action is approved.
      </p>
      <p className={styles.level} data-testid="session-level">
        This session: {verifiedSession ? <strong>verified with a second factor</strong> : "signed in with a password only"}
      </p>
      {factors === null ? <p className="muted">Loading…</p> : null}
      {factors && factors.length > 0 ? (
        <ul className={styles.factors}>
          {factors.map((factor) => (
            <li key={factor.id} className={styles.factor}>
              <div>
                <div className={styles.factorName}>{factor.friendly_name || "Authenticator app"}</div>
                <div className="muted">Added {formatTime(factor.created_at, "date")}</div>
              </div>
              <button type="button" className="button small" disabled={busy || removing !== null} onClick={() => void remove(factor.id)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {removing ? codeForm("Enter a code from your authenticator app to remove it", "Verify and remove") : null}
      {factors && factors.length === 0 && !pending ? (
        <button type="button" className="button small primary" disabled={busy} onClick={() => void start()}>
          Set up an authenticator app
        </button>
      ) : null}
      {pending ? (
        <div className={styles.enroll}>
          <ol className={styles.steps}>
            <li>Scan this QR code with your authenticator app, or type the key below.</li>
            <li>Enter the 6-digit code the app shows.</li>
          </ol>
          <div className={styles.enrollBody}>
            <img className={styles.qr} src={pending.qrCode} alt="QR code to scan with your authenticator app" width={180} height={180} />
            <div className={styles.secretBox}>
              <span className="muted">Key (time-based, 6 digits, 30 s)</span>
              <code className={styles.secret} data-testid="totp-secret">
                {groupSecret(pending.secret)}
              </code>
            </div>
          </div>
          {codeForm("Code from your authenticator app", "Verify and turn on")}
        </div>
      ) : null}
      <div aria-live="polite" className={styles.status}>
        {error ? (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        ) : null}
        {notice ? <p className={styles.ok}>{notice}</p> : null}
      </div>
    </section>
  );
}
