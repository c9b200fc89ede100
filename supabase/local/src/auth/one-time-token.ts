import crypto from "node:crypto";
import type pg from "pg";
import type { TAuthConfig } from "./auth-config.ts";

/** The kinds of emailed token, as GoTrue's verification types name them. */
export type TTokenType = "invite" | "signup" | "magiclink" | "recovery" | "email_change";

/**
 * Types that share one slot, as GoTrue keeps one confirmation token (invite, signup) and one
 * recovery token (magic link, recovery) per user: a new mail makes the previous link of its slot
 * stop working.
 */
const SLOT: Record<TTokenType, TTokenType[]> = {
  invite: ["invite", "signup"],
  signup: ["invite", "signup"],
  magiclink: ["magiclink", "recovery"],
  recovery: ["magiclink", "recovery"],
  email_change: ["email_change"],
};

/** What the mail (or generate_link) hands out; only their sha256 is stored. */
export interface TIssuedToken {
  /** The link's `token` (GoTrue's `hashed_token`): also accepted as `token_hash` by POST /verify. */
  linkToken: string;
  /** The code to type in (`verifyOtp({ email, token, type })`). */
  otp: string;
}

export function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

/** The stored hash of an emailed code: bound to the address, so a code is useless for another one. */
export function otpHash(email: string, otp: string): string {
  return sha256(`${email.toLowerCase()}:${otp}`);
}

/** A row of auth.one_time_tokens. */
export interface TOneTimeTokenRow {
  id: string;
  user_id: string;
  token_type: TTokenType;
  email: string;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * Issues a token of `type` for `email` inside the caller's transaction, replacing the user's
 * earlier token of the same slot. Random 224-bit link token (hex, the length of GoTrue's), random
 * numeric code; both expire after `otpExpirySeconds`.
 */
export async function issueOneTimeToken(
  client: pg.PoolClient,
  config: TAuthConfig,
  input: { userId: string; type: TTokenType; email: string },
): Promise<TIssuedToken> {
  const linkToken = crypto.randomBytes(28).toString("hex");
  const otp = String(crypto.randomInt(0, 10 ** config.otpLength)).padStart(config.otpLength, "0");
  await client.query("delete from auth.one_time_tokens where user_id = $1 and token_type = any ($2)", [input.userId, SLOT[input.type]]);
  await client.query(
    `insert into auth.one_time_tokens (user_id, token_type, token_hash, otp_hash, email, expires_at)
     values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
    [input.userId, input.type, sha256(linkToken), otpHash(input.email, otp), input.email.toLowerCase(), config.otpExpirySeconds],
  );
  return { linkToken, otp };
}

/**
 * Finds a token by link token or by address + code among `types`, locked for this transaction.
 * Null when there is none; the caller tells expired and used ones apart from the row.
 */
export async function findOneTimeToken(
  client: pg.PoolClient,
  types: TTokenType[],
  by: { linkToken: string } | { email: string; otp: string },
): Promise<TOneTimeTokenRow | null> {
  const { rows } =
    "linkToken" in by
      ? await client.query<TOneTimeTokenRow>(
          "select id, user_id, token_type, email, expires_at, used_at from auth.one_time_tokens where token_hash = $1 and token_type = any ($2) for update",
          [sha256(by.linkToken), types],
        )
      : await client.query<TOneTimeTokenRow>(
          `select id, user_id, token_type, email, expires_at, used_at from auth.one_time_tokens
           where otp_hash = $1 and token_type = any ($2) order by created_at desc limit 1 for update`,
          [otpHash(by.email, by.otp), types],
        );
  return rows[0] ?? null;
}

/** Marks a token used: it never works again. */
export async function spendOneTimeToken(client: pg.PoolClient, id: string): Promise<void> {
  await client.query("update auth.one_time_tokens set used_at = now() where id = $1", [id]);
}
