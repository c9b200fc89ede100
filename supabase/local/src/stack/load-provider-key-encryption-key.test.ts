import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProviderKeyEncryptionKey } from "./load-provider-key-encryption-key.ts";

let dataDir: string;

beforeAll(async () => {
  dataDir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "mc-kek-")), "data");
});

afterAll(async () => {
  await fs.rm(path.dirname(dataDir), { recursive: true, force: true });
});

describe("loadProviderKeyEncryptionKey", () => {
  it("creates 32 random bytes once, readable only by the owner, and returns the same key afterwards", async () => {
    const first = await loadProviderKeyEncryptionKey(dataDir);
    expect(Buffer.from(first, "base64")).toHaveLength(32);
    const file = path.join(dataDir, "provider-key-encryption-key");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadProviderKeyEncryptionKey(dataDir)).toBe(first);
  });

  it("replaces a file that does not hold a 32-byte key", async () => {
    const file = path.join(dataDir, "provider-key-encryption-key");
    await fs.writeFile(file, "too short\n", { mode: 0o600 });
    const key = await loadProviderKeyEncryptionKey(dataDir);
    expect(Buffer.from(key, "base64")).toHaveLength(32);
    expect((await fs.readFile(file, "utf8")).trim()).toBe(key);
  });
});
