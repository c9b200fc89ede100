"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { getBrowserClient, type TBrowserClient } from "../auth/get-browser-client.ts";
import signInStyles from "../auth/sign-in-form.module.css";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { acceptProjectInvites, type TJoinedProject } from "./accept-project-invites.ts";
import styles from "./members.module.css";
import { NEW_PASSWORD_MAX, NEW_PASSWORD_MIN, newPasswordProblem } from "./new-password-draft.ts";
import { readInviteLink } from "./read-invite-link.ts";
import { withArticle } from "./role-descriptions.ts";

/**
 * The user id of an invited account that has not chosen its password yet. Kept for the tab, so a
 * reload after the link's tokens were read (and taken out of the URL) still asks for a password.
 */
const PASSWORD_PENDING_KEY = "mission-control-invite-password-pending";

type TStep =
  | { kind: "reading" }
  | { kind: "set-password"; email: string }
  | { kind: "joining" }
  | { kind: "opening"; project: TJoinedProject }
  | { kind: "joined-several"; projects: TJoinedProject[] }
  | { kind: "nothing-waiting"; email: string }
  | { kind: "failed"; message: string; signedIn: boolean };

/**
 * `/auth/accept`, where an invitation mail's link lands (through GoTrue's /verify, with the
 * session in the URL fragment). The browser client does not read sessions from URLs
 * (detectSessionInUrl is off), so this page reads the fragment itself, stores the session with
 * setSession and removes the tokens from the address bar. A new account (type=invite) chooses a
 * password first; then `accept_project_invites` turns the invitations into memberships and the
 * page opens the project. Nothing is rendered that could be submitted before hydration: the
 * password form exists only once the script has read the link.
 */
export function AcceptInviteView() {
  const config = useClientConfig();
  const router = useRouter();
  const [step, setStep] = useState<TStep>({ kind: "reading" });
  const started = useRef(false);

  const join = async (client: TBrowserClient) => {
    setStep({ kind: "joining" });
    try {
      const joined = await acceptProjectInvites(client);
      const first = joined[0];
      if (!first) {
        const { data } = await client.auth.getUser();
        setStep({ kind: "nothing-waiting", email: data.user?.email ?? "your address" });
      } else if (joined.length === 1) {
        setStep({ kind: "opening", project: first });
        router.replace(`/p/${first.slug}`);
      } else {
        setStep({ kind: "joined-several", projects: joined });
      }
    } catch (err) {
      setStep({ kind: "failed", message: err instanceof Error ? err.message : String(err), signedIn: true });
    }
  };

  // Once per page load: the ref keeps a second run (strict mode) from reading a link already consumed.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const client = getBrowserClient(config);
    const link = readInviteLink(window.location.hash, window.location.search);
    // The tokens leave the address bar and the history at once, whatever happens next.
    if (link.kind !== "none") window.history.replaceState(null, "", window.location.pathname);
    void (async () => {
      if (link.kind === "error") return setStep({ kind: "failed", message: link.message, signedIn: false });
      if (link.kind === "session") {
        const { data, error } = await client.auth.setSession({ access_token: link.accessToken, refresh_token: link.refreshToken });
        if (error || !data.session) {
          return setStep({
            kind: "failed",
            message: `The invitation link could not sign you in (${error?.message ?? "no session"}). It may have expired: ask the project owner to send the invitation again.`,
            signedIn: false,
          });
        }
        if (link.type === "invite") window.sessionStorage.setItem(PASSWORD_PENDING_KEY, data.session.user.id);
      }
      const { data } = await client.auth.getSession();
      const session = data.session;
      if (!session) {
        return setStep({
          kind: "failed",
          message:
            "This page joins you to a project from the link in your invitation mail: open the newest invitation mail and click its link.",
          signedIn: false,
        });
      }
      if (window.sessionStorage.getItem(PASSWORD_PENDING_KEY) === session.user.id) {
        return setStep({ kind: "set-password", email: session.user.email ?? "" });
      }
      await join(client);
    })();
  }, []);

  return (
    <main className={signInStyles.page}>
      <div className={signInStyles.card}>
        <div className={signInStyles.brand}>
          <span className={signInStyles.logo} aria-hidden="true" />
          Mission Control
        </div>
        <AcceptStep step={step} onPassword={() => join(getBrowserClient(config))} />
      </div>
    </main>
  );
}

/** The card's content for one step. */
function AcceptStep({ step, onPassword }: { step: TStep; onPassword: () => Promise<void> }) {
  switch (step.kind) {
    case "reading":
      return <Title text="Accepting your invitation" note="Reading your invitation link…" />;
    case "set-password":
      return <SetPasswordForm email={step.email} onSaved={onPassword} />;
    case "joining":
      return <Title text="Accepting your invitation" note="Joining the project…" />;
    case "opening":
      return <Title text="You joined a project" note={`Opening ${step.project.slug} as ${withArticle(step.project.role)}…`} />;
    case "joined-several":
      return (
        <>
          <Title text={`You joined ${step.projects.length} projects`} />
          <ul className={styles.list} aria-label="Projects you joined">
            {step.projects.map((project, index) => (
              <li key={project.project_id} className={styles.row}>
                <div className={styles.who}>
                  <div className={styles.email}>{project.slug}</div>
                  <div className={styles.meta}>as {withArticle(project.role)}</div>
                </div>
                <Link className={index === 0 ? "button primary" : "button"} href={`/p/${project.slug}`}>
                  Open
                </Link>
              </li>
            ))}
          </ul>
        </>
      );
    case "nothing-waiting":
      return (
        <>
          <Title text="No invitation is waiting" />
          <p className={signInStyles.hint}>
            Nothing is waiting for {step.email}: the invitation was revoked, or you joined already. Your projects are on the start page; if
            you expected an invitation, ask the project owner to send it again.
          </p>
          <Link className="button primary" href="/">
            Go to your projects
          </Link>
        </>
      );
    case "failed":
      return (
        <>
          <Title text="This invitation did not work" />
          <p role="alert" className={signInStyles.error}>
            {step.message}
          </p>
          <Link className="button primary" href={step.signedIn ? "/" : "/sign-in"}>
            {step.signedIn ? "Go to your projects" : "Sign in"}
          </Link>
        </>
      );
  }
}

function Title({ text, note }: { text: string; note?: string }) {
  return (
    <>
      <h1 className={signInStyles.title}>{text}</h1>
      {note ? (
        <p className="muted" aria-live="polite">
          {note}
        </p>
      ) : null}
    </>
  );
}

/**
 * A new account's first password (auth.updateUser). It exists only after hydration, and it is a
 * POST form anyway: the password never lands in a URL.
 */
function SetPasswordForm({ email, onSaved }: { email: string; onSaved: () => Promise<void> }) {
  const config = useClientConfig();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const problem = newPasswordProblem(password, String(form.get("repeat") ?? ""));
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    const { error: saveError } = await getBrowserClient(config).auth.updateUser({ password });
    if (saveError) {
      setBusy(false);
      return setError(`Your password was not saved: ${saveError.message}. Choose another one and try again.`);
    }
    window.sessionStorage.removeItem(PASSWORD_PENDING_KEY);
    await onSaved();
  };

  return (
    <form method="post" noValidate className={styles.stack} onSubmit={submit} aria-labelledby="set-password-title">
      <h1 id="set-password-title" className={signInStyles.title}>
        Choose a password
      </h1>
      <p className={signInStyles.hint}>
        You were invited as <strong>{email}</strong>. Choose a password for signing in from now on ({NEW_PASSWORD_MIN} to {NEW_PASSWORD_MAX}{" "}
        characters); then you join the project.
      </p>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <label className={signInStyles.field}>
        <span>New password</span>
        <input type="password" name="password" autoComplete="new-password" minLength={NEW_PASSWORD_MIN} required />
      </label>
      <label className={signInStyles.field}>
        <span>Repeat the password</span>
        <input type="password" name="repeat" autoComplete="new-password" required />
      </label>
      {error ? (
        <p role="alert" className={signInStyles.error}>
          {error}
        </p>
      ) : null}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? "Saving…" : "Save password and join"}
      </button>
    </form>
  );
}
