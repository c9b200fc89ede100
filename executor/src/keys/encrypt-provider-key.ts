import crypto from "node:crypto";
import type { TKek } from "./provider-keks.ts";
import { formatCiphertext } from "./provider-key-ciphertext.ts";

/**
 * Encrypts a provider API key with AES-256-GCM under `kek`, a random 12-byte IV, and the
 * connection id as additional authenticated data (so a ciphertext copied to another connection
 * does not decrypt). Returns `v1.<kekId>.<iv>.<tag>.<ciphertext>` (base64 parts).
 */
export function encryptProviderKey(plaintext: string, options: { kek: TKek; aad: string }): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", options.kek.key, iv);
  cipher.setAAD(Buffer.from(options.aad, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return formatCiphertext({ kekId: options.kek.id, iv, tag: cipher.getAuthTag(), data });
}
