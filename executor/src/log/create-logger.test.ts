import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger.ts";

/** A logger writing into an array of parsed lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level: "info", executorId: "test", destination }), lines };
}

describe("createLogger", () => {
  it("blanks provider keys, ciphertexts, key-encryption keys and auth headers wherever a log line carries them", () => {
    const { log, lines } = capture();
    const secrets = ["sk-live-1", "sk-live-2", "sk-live-3", "v1.abcd1234.iv.tag.ct", "kek-base64", "Bearer jwt", "ant-key"];
    log.info(
      {
        apiKey: secrets[0],
        body: { api_key: secrets[1] },
        config: { provider: { apiKey: secrets[2] } },
        secret: { ciphertext: secrets[3] },
        env: { PROVIDER_KEY_ENCRYPTION_KEY: secrets[4] },
        req: { headers: { authorization: secrets[5], "x-api-key": secrets[6] } },
        connectionId: "c-1",
      },
      "provider key set",
    );
    const text = JSON.stringify(lines);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ connectionId: "c-1", body: { api_key: "[redacted]" }, msg: "provider key set" });
  });
});
