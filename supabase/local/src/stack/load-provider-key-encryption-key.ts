import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/**
 * Reads the local stack's provider key-encryption key from `<dataDir>/provider-key-encryption-key`
 * (32 random bytes, base64), creating it once with mode 0600. The executor encrypts the provider
 * keys operators store with it (PROVIDER_KEY_ENCRYPTION_KEY in `.env.local`); losing it makes
 * stored keys unreadable, so it is never regenerated while the file is valid.
 */
export async function loadProviderKeyEncryptionKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "provider-key-encryption-key");
  try {
    const existing = (await fs.readFile(file, "utf8")).trim();
    if (Buffer.from(existing, "base64").length === 32) return existing;
  } catch {
    // first run: fall through and create one
  }
  const key = crypto.randomBytes(32).toString("base64");
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}
