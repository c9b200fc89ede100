import crypto from "node:crypto";
import { AppError } from "@mission-control/shared/errors";
import { MISSING_KEK_MESSAGE, type TKeks } from "./provider-keks.ts";
import { parseCiphertext } from "./provider-key-ciphertext.ts";

/**
 * Decrypts a stored provider key with whichever of `keks` made it (its id is in the ciphertext),
 * checking the GCM tag against the connection id `aad`. Throws `config_invalid` with a sentence,
 * never with the ciphertext or the key, when the text is malformed, the key-encryption key is
 * unknown, or the check fails (tampered, or stored for another connection).
 */
export function decryptProviderKey(ciphertext: string, options: { keks: TKeks; aad: string }): string {
  if (options.keks.length === 0) throw new AppError("config_invalid", { message: MISSING_KEK_MESSAGE });
  const parts = parseCiphertext(ciphertext);
  const kek = options.keks.find((candidate) => candidate.id === parts.kekId);
  if (!kek) {
    throw new AppError("config_invalid", {
      message: `The stored provider key was encrypted with key-encryption key ${parts.kekId}, which this executor does not have (it has ${options.keks.map((known) => known.id).join(", ")}): set PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS to that key and run \`pnpm keys:rotate\`, or set the provider key again in Settings → Providers`,
      details: { kekId: parts.kekId },
    });
  }
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", kek.key, parts.iv);
    decipher.setAAD(Buffer.from(options.aad, "utf8"));
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.data), decipher.final()]).toString("utf8");
  } catch {
    // The cause is deliberately dropped: it carries nothing useful and must not travel with key material.
    throw new AppError("config_invalid", {
      message:
        "The stored provider key failed its integrity check (it was altered, or it belongs to another connection): set the key again in Settings → Providers",
      details: { kekId: parts.kekId },
    });
  }
}
