import { expect } from "vitest";
import { stackInfo } from "./stack-clients.ts";

/** A mail of the local mailbox, as GET /mailbox/api/messages answers it. */
export interface TMailboxMessage {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  links: Array<{ label: string; url: string }>;
  created_at: string;
}

/** The mails to `to` in the test stack's local mailbox, newest first. */
export async function mailsTo(to: string, baseUrl = stackInfo().url): Promise<TMailboxMessage[]> {
  const response = await fetch(`${baseUrl}/mailbox/api/messages?${new URLSearchParams({ to })}`);
  if (!response.ok) throw new Error(`the mailbox answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { messages: TMailboxMessage[] }).messages;
}

/** Waits until `count` mails (default 1) to `to` are in the mailbox and returns the newest. */
export async function newestMailTo(to: string, count = 1, baseUrl = stackInfo().url): Promise<TMailboxMessage> {
  let mails: TMailboxMessage[] = [];
  await expect
    .poll(
      async () => {
        mails = await mailsTo(to, baseUrl);
        return mails.length;
      },
      { timeout: 10_000 },
    )
    .toBeGreaterThanOrEqual(count);
  return mails[0] as TMailboxMessage;
}

/** The 6-digit code of an auth mail. */
export function mailCode(mail: TMailboxMessage): string {
  const code = /code: (\d{6})/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in the mail "${mail.subject}": ${mail.text}`);
  return code;
}

/**
 * Follows a mail's /verify link like a browser does, without following the redirect: returns the
 * 303's Location and the parameters in its fragment (the session, or the error).
 */
export async function followVerifyLink(link: string): Promise<{ status: number; location: string; fragment: URLSearchParams }> {
  const response = await fetch(link, { redirect: "manual" });
  const location = response.headers.get("location") ?? "";
  return { status: response.status, location, fragment: new URLSearchParams(location.split("#")[1] ?? "") };
}
