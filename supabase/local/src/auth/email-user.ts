import type pg from "pg";
import { authError } from "./auth-errors.ts";
import { type TAuthUserRow, USER_COLUMNS } from "./user-json.ts";
import { parseEmail } from "./validate-credentials.ts";

/** The live (not deleted) user with this address, locked for the caller's transaction, or null. */
export async function findUserByEmail(client: pg.PoolClient, email: string): Promise<TAuthUserRow | null> {
  const { rows } = await client.query<TAuthUserRow>(
    `select ${USER_COLUMNS} from auth.users where lower(email) = lower($1) and deleted_at is null for update`,
    [email],
  );
  return rows[0] ?? null;
}

/** The live user with this id, locked for the caller's transaction, or null. */
export async function findUserById(client: pg.PoolClient, id: string): Promise<TAuthUserRow | null> {
  const { rows } = await client.query<TAuthUserRow>(
    `select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null for update`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Creates an unconfirmed account without a password (an invitee, or a first magic-link sign-in):
 * it signs in through a mailed link or code until it sets a password. Null when the address is taken.
 */
export async function insertPasswordlessUser(
  client: pg.PoolClient,
  input: { email: string; userMetadata: Record<string, unknown> },
): Promise<TAuthUserRow | null> {
  const { rows } = await client.query<TAuthUserRow>(
    `insert into auth.users (email, raw_user_meta_data) values ($1, $2) on conflict do nothing returning ${USER_COLUMNS}`,
    [input.email, input.userMetadata],
  );
  return rows[0] ?? null;
}

/** Sets `column` (one of the mail timestamps) to now and returns the fresh row. */
export async function stampUser(
  client: pg.PoolClient,
  userId: string,
  columns: Array<"invited_at" | "confirmation_sent_at" | "recovery_sent_at" | "email_change_sent_at">,
): Promise<TAuthUserRow> {
  const sets = columns.map((column) => `${column} = now()`).join(", ");
  const { rows } = await client.query<TAuthUserRow>(
    `update auth.users set ${sets}, updated_at = now() where id = $1 returning ${USER_COLUMNS}`,
    [userId],
  );
  const user = rows[0];
  if (!user) throw new Error(`user ${userId} vanished inside its own transaction`);
  return user;
}

/** An address the email endpoints need, as GoTrue's validateEmail: missing is its own 400. */
export function parseRequiredEmail(value: unknown): string {
  if (value === undefined || value === null || value === "") throw authError(400, "validation_failed", "An email address is required");
  return parseEmail(value);
}
