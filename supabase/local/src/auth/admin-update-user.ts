import type { TGatewayContext } from "../http/module-context.ts";
import { authError } from "./auth-errors.ts";
import { authTransaction } from "./auth-transaction.ts";
import { findUserById } from "./email-user.ts";
import { DUPLICATE_EMAIL } from "./invite-user.ts";
import { parseBanDuration } from "./parse-ban-duration.ts";
import { type TAuthUserRow, USER_COLUMNS, userJson } from "./user-json.ts";
import { parseEmail, parseMetadata, parseNewPassword } from "./validate-credentials.ts";

/** GoTrue's metadata update: top-level keys are set, a key set to null is removed. */
function metadataPatch(value: Record<string, unknown>): { set: Record<string, unknown>; remove: string[] } {
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === null) remove.push(key);
    else set[key] = item;
  }
  return { set, remove };
}

/**
 * PUT /auth/v1/admin/users/:id (`auth.admin.updateUserById`): email (set at once, no mail),
 * password, email_confirm, user_metadata and app_metadata (merged as GoTrue merges them),
 * ban_duration ("24h", "none"). A banned user cannot sign in, refresh or redeem a mailed link.
 */
export async function adminUpdateUser(ctx: TGatewayContext, id: string, body: Record<string, unknown>) {
  const email = body.email === undefined || body.email === "" ? null : parseEmail(body.email);
  const password = body.password === undefined || body.password === null ? null : parseNewPassword(body.password);
  const userMeta = body.user_metadata === undefined ? null : metadataPatch(parseMetadata(body.user_metadata));
  const appMeta = body.app_metadata === undefined ? null : metadataPatch(parseMetadata(body.app_metadata));
  const banMs = body.ban_duration === undefined || body.ban_duration === "" ? null : parseBanDuration(body.ban_duration);
  return authTransaction(ctx.adminPool, async (client) => {
    const user = await findUserById(client, id);
    if (!user) throw authError(404, "user_not_found", "User not found");
    if (email !== null && email !== user.email?.toLowerCase()) {
      const taken = await client.query("select 1 from auth.users where lower(email) = $1 and id <> $2", [email, id]);
      if (taken.rowCount) throw authError(422, "email_exists", DUPLICATE_EMAIL);
    }
    const { rows } = await client.query<TAuthUserRow>(
      `update auth.users set
         email = coalesce($2, email),
         email_change = case when $2::text is null then email_change end,
         encrypted_password = coalesce(extensions.crypt($3, extensions.gen_salt('bf', 10)), encrypted_password),
         email_confirmed_at = case when $4 then coalesce(email_confirmed_at, now()) else email_confirmed_at end,
         raw_user_meta_data = case when $5::jsonb is null then raw_user_meta_data else (raw_user_meta_data || $5::jsonb) - $6::text[] end,
         raw_app_meta_data = case when $7::jsonb is null then raw_app_meta_data else (raw_app_meta_data || $7::jsonb) - $8::text[] end,
         banned_until = case when $9::float8 is null then banned_until
                             when $9::float8 = 0 then null
                             else now() + make_interval(secs => $9::float8 / 1000) end,
         updated_at = now()
       where id = $1 returning ${USER_COLUMNS}`,
      [
        id,
        email,
        password,
        body.email_confirm === true,
        userMeta ? JSON.stringify(userMeta.set) : null,
        userMeta?.remove ?? [],
        appMeta ? JSON.stringify(appMeta.set) : null,
        appMeta?.remove ?? [],
        banMs,
      ],
    );
    const updated = rows[0];
    if (!updated) throw authError(404, "user_not_found", "User not found");
    return userJson(updated);
  });
}
