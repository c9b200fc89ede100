import crypto from "node:crypto";
import type { TExecutorEnv } from "../env.ts";

/** A key-encryption key: 32 bytes for AES-256-GCM and its id (the first 8 hex digits of its SHA-256), stored in every ciphertext. */
export type TKek = { readonly id: string; readonly key: Buffer };

/**
 * The executor's key-encryption keys, the current one first (it encrypts; every one decrypts).
 * Empty when PROVIDER_KEY_ENCRYPTION_KEY is not set.
 */
export type TKeks = readonly TKek[];

/** Builds a key-encryption key from its base64 text (as `openssl rand -base64 32` prints it). */
export function createKek(base64: string): TKek {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) {
    throw new RangeError(`A key-encryption key must be 32 bytes, got ${key.length}: make one with \`openssl rand -base64 32\``);
  }
  return { id: crypto.createHash("sha256").update(key).digest("hex").slice(0, 8), key };
}

/** The key-encryption keys of the environment: PROVIDER_KEY_ENCRYPTION_KEY, then PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS. */
export function readProviderKeks(env: Pick<TExecutorEnv, "PROVIDER_KEY_ENCRYPTION_KEY" | "PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS">): TKeks {
  const keks: TKek[] = [];
  for (const value of [env.PROVIDER_KEY_ENCRYPTION_KEY, env.PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS]) {
    if (!value) continue;
    const kek = createKek(value);
    if (!keks.some((known) => known.id === kek.id)) keks.push(kek);
  }
  return keks;
}

/** The sentence for "this executor cannot encrypt or decrypt stored keys". */
export const MISSING_KEK_MESSAGE =
  "The executor has no PROVIDER_KEY_ENCRYPTION_KEY, so it cannot use stored provider keys: make one with `openssl rand -base64 32`, set PROVIDER_KEY_ENCRYPTION_KEY to it in the executor's environment and restart it";
