import type { IncomingMessage } from "node:http";
import QRCode from "qrcode";
import type { TGatewayContext } from "../http/module-context.ts";
import { authError } from "./auth-errors.ts";
import { authTransaction } from "./auth-transaction.ts";
import { loadFactorCaller } from "./factor-request.ts";
import { newTotpSecret, totpUri } from "./totp-code.ts";
import { containsNul } from "./validate-credentials.ts";

/** GoTrue's defaults: `max_enrolled_factors` (config.toml) and MFA_MAX_VERIFIED_FACTORS. */
const MAX_ENROLLED_FACTORS = 10;
const MAX_VERIFIED_FACTORS = 10;
/** GoTrue's MFA_FACTOR_EXPIRY_DURATION: an unverified factor older than this is dropped at the next enroll. */
const UNVERIFIED_FACTOR_SECONDS = 300;

function optionalText(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string" || containsNul(value) || value.length > 200) {
    throw authError(400, "validation_failed", `${field} must be a string of at most 200 characters`);
  }
  return value.trim();
}

/**
 * The QR code of the otpauth URI as an SVG document. GoTrue sends the raw SVG and supabase-js
 * turns it into `data:image/svg+xml;utf-8,<svg…>`; colours are named, not `#hex`, because a `#`
 * would end that data URI in an <img src>.
 */
async function qrCodeSvg(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "H", margin: 2 });
  return svg.replaceAll("#ffffff", "white").replaceAll("#000000", "black").trim();
}

/**
 * POST /auth/v1/factors: enrolls an unverified TOTP factor (GoTrue's EnrollFactor for totp). The
 * secret is kept in auth.mfa_factors; the answer carries it, its otpauth URI and QR code once.
 * A user who has a verified factor must be at aal2 to add another.
 */
export async function enrollFactor(ctx: TGatewayContext, req: IncomingMessage, body: Record<string, unknown>) {
  const factorType = body.factor_type;
  if (factorType === "phone")
    throw authError(422, "mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone: the local stack enrolls totp factors only");
  if (factorType === "webauthn") {
    throw authError(
      422,
      "mfa_webauthn_enroll_not_enabled",
      "MFA enroll is disabled for WebAuthn: the local stack enrolls totp factors only",
    );
  }
  if (factorType !== "totp") throw authError(400, "validation_failed", "factor_type needs to be totp, phone, or webauthn");
  const friendlyName = optionalText(body, "friendly_name");
  const issuer = optionalText(body, "issuer") || new URL(ctx.publicUrl).host;

  return authTransaction(ctx.adminPool, async (client) => {
    const caller = await loadFactorCaller(ctx, req, client);
    await client.query(
      `delete from auth.mfa_factors where user_id = $1 and status = 'unverified' and created_at < now() - make_interval(secs => $2)`,
      [caller.user.id, UNVERIFIED_FACTOR_SECONDS],
    );
    const { rows } = await client.query<{ friendly_name: string; status: string }>(
      "select friendly_name, status from auth.mfa_factors where user_id = $1",
      [caller.user.id],
    );
    // As GoTrue's validateFactors: the same name (an empty one included) cannot be enrolled twice.
    if (rows.some((row) => row.friendly_name === friendlyName)) {
      throw authError(422, "mfa_factor_name_conflict", `A factor with the friendly name "${friendlyName}" for this user already exists`);
    }
    const verified = rows.filter((row) => row.status === "verified").length;
    if (rows.length >= MAX_ENROLLED_FACTORS || verified >= MAX_VERIFIED_FACTORS) {
      throw authError(422, "too_many_enrolled_mfa_factors", "Maximum number of verified factors reached, unenroll to continue");
    }
    if (verified > 0 && caller.sessionAal !== "aal2") {
      throw authError(403, "insufficient_aal", "AAL2 required to enroll a new factor: verify your existing factor first");
    }
    const secret = newTotpSecret();
    const uri = totpUri({ secret, issuer, accountName: caller.user.email ?? "" });
    const inserted = await client.query<{ id: string }>(
      "insert into auth.mfa_factors (user_id, friendly_name, factor_type, secret) values ($1, $2, 'totp', $3) returning id",
      [caller.user.id, friendlyName, secret],
    );
    return {
      id: inserted.rows[0]?.id,
      type: "totp",
      friendly_name: friendlyName,
      totp: { qr_code: await qrCodeSvg(uri), secret, uri },
    };
  });
}
