import { AppError } from "@mission-control/shared/errors";

/** The format version every stored ciphertext starts with. */
export const CIPHERTEXT_VERSION = "v1";

/** The parts of a stored ciphertext `v1.<kekId>.<iv b64>.<tag b64>.<ciphertext b64>`. */
export type TCiphertextParts = { kekId: string; iv: Buffer; tag: Buffer; data: Buffer };

const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Joins the parts of an encrypted key into the stored text form. */
export function formatCiphertext(parts: TCiphertextParts): string {
  return [CIPHERTEXT_VERSION, parts.kekId, parts.iv.toString("base64"), parts.tag.toString("base64"), parts.data.toString("base64")].join(
    ".",
  );
}

/**
 * Splits a stored ciphertext into its parts; throws `config_invalid` (without echoing the text)
 * when it is not in the v1 format.
 */
export function parseCiphertext(text: string): TCiphertextParts {
  const fields = text.split(".");
  const [version, kekId, iv, tag, data] = fields;
  const wellFormed =
    fields.length === 5 &&
    version === CIPHERTEXT_VERSION &&
    kekId !== undefined &&
    /^[0-9a-f]{8}$/.test(kekId) &&
    [iv, tag, data].every((part) => part !== undefined && part.length > 0 && BASE64.test(part));
  if (!wellFormed || kekId === undefined || iv === undefined || tag === undefined || data === undefined) {
    throw new AppError("config_invalid", {
      message: `The stored provider key is not in the ${CIPHERTEXT_VERSION} format (${CIPHERTEXT_VERSION}.<kek id>.<iv>.<tag>.<ciphertext>): set the key again in Settings → Providers`,
    });
  }
  const parts = { kekId, iv: Buffer.from(iv, "base64"), tag: Buffer.from(tag, "base64"), data: Buffer.from(data, "base64") };
  if (parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES) {
    throw new AppError("config_invalid", {
      message: `The stored provider key has a ${parts.iv.length}-byte IV and a ${parts.tag.length}-byte tag (expected ${IV_BYTES} and ${TAG_BYTES}): it was damaged; set the key again in Settings → Providers`,
    });
  }
  return parts;
}

/** The id of the key-encryption key a stored ciphertext was made with, or null when it is not in the v1 format. */
export function readCiphertextKekId(text: string): string | null {
  try {
    return parseCiphertext(text).kekId;
  } catch {
    return null;
  }
}
