import crypto from "node:crypto";
import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { decryptProviderKey } from "./decrypt-provider-key.ts";
import { encryptProviderKey } from "./encrypt-provider-key.ts";
import { createKek, readProviderKeks } from "./provider-keks.ts";
import { readCiphertextKekId } from "./provider-key-ciphertext.ts";

const newKek = () => createKek(crypto.randomBytes(32).toString("base64"));
const connectionId = "6f1c2b8e-6a52-4d7e-9a0c-3b1f0e2d4c5a";
const apiKey = "sk-test-0123456789abcdef";

/** Runs `work` and returns the AppError it throws. */
function refusal(work: () => unknown): AppError {
  try {
    work();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected the call to be refused");
}

/** Replaces the base64 part at `index` of a v1 ciphertext with the same bytes, one bit flipped. */
function flipBit(ciphertext: string, index: number): string {
  const parts = ciphertext.split(".");
  const bytes = Buffer.from(parts[index] ?? "", "base64");
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[index] = bytes.toString("base64");
  return parts.join(".");
}

describe("provider key encryption", () => {
  it("round-trips a key and never stores it in the clear", () => {
    const kek = newKek();
    const ciphertext = encryptProviderKey(apiKey, { kek, aad: connectionId });
    expect(ciphertext).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(ciphertext).not.toContain(apiKey);
    expect(readCiphertextKekId(ciphertext)).toBe(kek.id);
    expect(decryptProviderKey(ciphertext, { keks: [kek], aad: connectionId })).toBe(apiKey);
  });

  it("uses a fresh IV each time, so the same key encrypts to different texts", () => {
    const kek = newKek();
    const first = encryptProviderKey(apiKey, { kek, aad: connectionId });
    const second = encryptProviderKey(apiKey, { kek, aad: connectionId });
    expect(first).not.toBe(second);
  });

  it("derives the kek id from the key: the first 8 hex digits of its SHA-256", () => {
    const raw = crypto.randomBytes(32);
    expect(createKek(raw.toString("base64")).id).toBe(crypto.createHash("sha256").update(raw).digest("hex").slice(0, 8));
  });

  it("refuses a tampered ciphertext, IV or tag with a sentence that does not echo the secret", () => {
    const kek = newKek();
    const ciphertext = encryptProviderKey(apiKey, { kek, aad: connectionId });
    for (const index of [2, 3, 4]) {
      const error = refusal(() => decryptProviderKey(flipBit(ciphertext, index), { keks: [kek], aad: connectionId }));
      expect(error.code).toBe("config_invalid");
      expect(error.message).toMatch(/failed its integrity check .*set the key again/);
      expect(error.message).not.toContain(ciphertext.split(".")[4]);
      expect(error.message).not.toContain(apiKey);
    }
  });

  it("refuses a ciphertext stored for another connection (the connection id is authenticated)", () => {
    const kek = newKek();
    const ciphertext = encryptProviderKey(apiKey, { kek, aad: connectionId });
    const error = refusal(() => decryptProviderKey(ciphertext, { keks: [kek], aad: crypto.randomUUID() }));
    expect(error.message).toMatch(/belongs to another connection/);
  });

  it("refuses a ciphertext made with a key-encryption key the executor does not have, naming both ids", () => {
    const old = newKek();
    const current = newKek();
    const ciphertext = encryptProviderKey(apiKey, { kek: old, aad: connectionId });
    const error = refusal(() => decryptProviderKey(ciphertext, { keks: [current], aad: connectionId }));
    expect(error.code).toBe("config_invalid");
    expect(error.message).toContain(`key-encryption key ${old.id}`);
    expect(error.message).toContain(current.id);
    expect(error.message).toContain("PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS");
  });

  it("decrypts with the previous key while the current one encrypts", () => {
    const old = newKek();
    const current = newKek();
    const ciphertext = encryptProviderKey(apiKey, { kek: old, aad: connectionId });
    expect(decryptProviderKey(ciphertext, { keks: [current, old], aad: connectionId })).toBe(apiKey);
  });

  it("refuses malformed text and a missing key-encryption key with what to do", () => {
    const kek = newKek();
    expect(refusal(() => decryptProviderKey("not-a-ciphertext", { keks: [kek], aad: connectionId })).message).toMatch(
      /not in the v1 format/,
    );
    expect(refusal(() => decryptProviderKey("v2.abcdef01.AAAA.AAAA.AAAA", { keks: [kek], aad: connectionId })).message).toMatch(
      /not in the v1 format/,
    );
    const ciphertext = encryptProviderKey(apiKey, { kek, aad: connectionId });
    expect(refusal(() => decryptProviderKey(ciphertext, { keks: [], aad: connectionId })).message).toMatch(
      /no PROVIDER_KEY_ENCRYPTION_KEY.*openssl rand -base64 32/,
    );
  });

  it("reads the environment's keys current first and drops a repeated one", () => {
    const current = crypto.randomBytes(32).toString("base64");
    const previous = crypto.randomBytes(32).toString("base64");
    const keks = readProviderKeks({ PROVIDER_KEY_ENCRYPTION_KEY: current, PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS: previous });
    expect(keks.map((k) => k.id)).toEqual([createKek(current).id, createKek(previous).id]);
    expect(readProviderKeks({ PROVIDER_KEY_ENCRYPTION_KEY: current, PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS: current })).toHaveLength(1);
    expect(readProviderKeks({ PROVIDER_KEY_ENCRYPTION_KEY: undefined, PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS: undefined })).toEqual([]);
  });
});
