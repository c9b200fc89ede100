import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { checkTotpCode, newTotpSecret, totpUri } from "./totp-code.ts";

const secret = newTotpSecret();
const at = (ms: number) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: ms });
// A fixed test clock in the middle of a 30 s step.
const now = Date.UTC(2026, 11, 1, 12, 0, 15);

describe("checkTotpCode", () => {
  it("accepts the code of the current step and of one step either side", () => {
    for (const offset of [-30_000, 0, 30_000]) {
      expect(checkTotpCode({ secret, code: at(now + offset), nowMs: now, lastUsedStep: null }).ok).toBe(true);
    }
  });

  it("refuses codes two steps away, malformed codes and other secrets' codes", () => {
    expect(checkTotpCode({ secret, code: at(now - 60_000), nowMs: now, lastUsedStep: null })).toEqual({ ok: false, reason: "invalid" });
    expect(checkTotpCode({ secret, code: at(now + 60_000), nowMs: now, lastUsedStep: null })).toEqual({ ok: false, reason: "invalid" });
    expect(checkTotpCode({ secret, code: "12345", nowMs: now, lastUsedStep: null }).ok).toBe(false);
    expect(checkTotpCode({ secret, code: "abcdef", nowMs: now, lastUsedStep: null }).ok).toBe(false);
    const other = new TOTP({ secret: Secret.fromBase32(newTotpSecret()) }).generate({ timestamp: now });
    expect(checkTotpCode({ secret, code: other, nowMs: now, lastUsedStep: null }).ok).toBe(other === at(now));
  });

  it("refuses a code of a step already used, and accepts the next step's code", () => {
    const first = checkTotpCode({ secret, code: at(now), nowMs: now, lastUsedStep: null });
    expect(first.ok).toBe(true);
    const step = first.ok ? first.step : -1;
    expect(checkTotpCode({ secret, code: at(now), nowMs: now + 5_000, lastUsedStep: step })).toEqual({ ok: false, reason: "replayed" });
    expect(checkTotpCode({ secret, code: at(now - 30_000), nowMs: now, lastUsedStep: step })).toEqual({ ok: false, reason: "replayed" });
    expect(checkTotpCode({ secret, code: at(now + 30_000), nowMs: now, lastUsedStep: step })).toEqual({ ok: true, step: step + 1 });
  });

  it("writes an otpauth URI authenticator apps read", () => {
    const uri = totpUri({ secret, issuer: "Mission Control", accountName: "ada@example.test" });
    expect(uri).toMatch(/^otpauth:\/\/totp\/Mission%20Control:ada%40example\.test\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  });
});
