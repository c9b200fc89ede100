import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionToProviderConfig } from "../providers/connection-to-provider-config.ts";
import { createTestProject, type TTestProject } from "../testing/stack-fixtures.ts";
import { decryptProviderKey } from "./decrypt-provider-key.ts";
import { encryptProviderKey } from "./encrypt-provider-key.ts";
import { createKek } from "./provider-keks.ts";
import { readCiphertextKekId } from "./provider-key-ciphertext.ts";
import { reencryptProviderSecrets } from "./reencrypt-provider-secrets.ts";

const newKek = () => createKek(crypto.randomBytes(32).toString("base64"));
const oldKek = newKek();
const currentKek = newKek();
const lostKek = newKek();

let project: TTestProject;
/** connection id → the key stored for it, and the key-encryption key it was stored under. */
const stored = new Map<string, { apiKey: string; kek: typeof oldKek }>();

beforeAll(async () => {
  project = await createTestProject("key-rotation", []);
  const plan = [oldKek, oldKek, oldKek, currentKek, lostKek];
  for (const [index, kek] of plan.entries()) {
    const connection = await project.db
      .from("provider_connections")
      .insert({ project_id: project.projectId, name: `rotation ${index}`, kind: "anthropic", default_model: "claude-sonnet-4-0" })
      .select("id")
      .single();
    if (connection.error) throw new Error(connection.error.message);
    const apiKey = `sk-ant-rotation-${index}-${crypto.randomUUID()}`;
    const ciphertext = encryptProviderKey(apiKey, { kek, aad: connection.data.id });
    const secret = await project.db
      .from("provider_connection_secrets")
      .insert({ connection_id: connection.data.id, project_id: project.projectId, ciphertext });
    if (secret.error) throw new Error(secret.error.message);
    stored.set(connection.data.id, { apiKey, kek });
  }
});

afterAll(async () => {
  await project?.remove();
});

async function readSecrets() {
  const rows = await project.db.from("provider_connection_secrets").select("connection_id, ciphertext").eq("project_id", project.projectId);
  if (rows.error) throw new Error(rows.error.message);
  return rows.data;
}

describe("reencryptProviderSecrets", () => {
  it("lets the executor decrypt with previous and current keys while the rotation is pending", async () => {
    for (const { connection_id, ciphertext } of await readSecrets()) {
      const { apiKey, kek } = stored.get(connection_id) ?? { apiKey: "", kek: lostKek };
      if (kek === lostKek) continue;
      const resolved = connectionToProviderConfig(
        {
          id: connection_id,
          name: "c",
          kind: "anthropic",
          base_url: null,
          keyless: false,
          default_model: null,
          cli_command: null,
          cli_timeout_seconds: 300,
          ciphertext,
        },
        { keks: [currentKek, oldKek], workspaceDir: "/tmp" },
      );
      expect(resolved.config).toMatchObject({ kind: "anthropic", apiKey });
    }
  });

  it("re-encrypts every key under the current key-encryption key, reports the ones it cannot read, and changes nothing the second time", async () => {
    const report = await reencryptProviderSecrets(project.db, { keks: [currentKek, oldKek], projectId: project.projectId, pageSize: 2 });
    const lost = [...stored.entries()].find(([, value]) => value.kek === lostKek)?.[0];
    expect(report).toMatchObject({ kekId: currentKek.id, total: 5, rotated: 3, alreadyCurrent: 1, changedMeanwhile: 0 });
    expect(report.failed).toEqual([{ connectionId: lost, reason: expect.stringContaining(`key-encryption key ${lostKek.id}`) }]);

    for (const { connection_id, ciphertext } of await readSecrets()) {
      const expected = stored.get(connection_id);
      if (connection_id === lost) {
        expect(readCiphertextKekId(ciphertext)).toBe(lostKek.id);
        continue;
      }
      expect(readCiphertextKekId(ciphertext)).toBe(currentKek.id);
      // Only the current key is needed now: the previous one can be dropped from the environment.
      expect(decryptProviderKey(ciphertext, { keks: [currentKek], aad: connection_id })).toBe(expected?.apiKey);
    }

    const again = await reencryptProviderSecrets(project.db, { keks: [currentKek, oldKek], projectId: project.projectId });
    expect(again).toMatchObject({ total: 5, rotated: 0, alreadyCurrent: 4 });
  });

  it("refuses to run without a current key-encryption key", async () => {
    await expect(reencryptProviderSecrets(project.db, { keks: [], projectId: project.projectId })).rejects.toMatchObject({
      code: "config_invalid",
      message: expect.stringContaining("openssl rand -base64 32"),
    });
  });
});
