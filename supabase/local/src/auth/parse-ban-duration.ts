import { authError } from "./auth-errors.ts";

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * An admin `ban_duration` in milliseconds, read as GoTrue reads it (Go's time.ParseDuration:
 * "24h", "1h30m", "90s", "1.5h"; "none" lifts the ban, 0 too). Anything else is GoTrue's 400.
 */
export function parseBanDuration(value: unknown): number {
  const fail = () =>
    authError(
      400,
      "validation_failed",
      `invalid format for ban duration: time: invalid duration ${JSON.stringify(String(value).slice(0, 50))}; use e.g. "24h", "1h30m" or "none"`,
    );
  if (typeof value !== "string") throw fail();
  if (value === "none" || value === "0") return 0;
  const match = /^([-+]?)(.+)$/.exec(value);
  let rest = match?.[2] ?? "";
  let total = 0;
  if (rest === "") throw fail();
  while (rest !== "") {
    const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!part?.[1] || !part[2]) throw fail();
    total += Number(part[1]) * (UNIT_MS[part[2]] ?? 0);
    rest = rest.slice(part[0].length);
  }
  if (!Number.isFinite(total)) throw fail();
  return match?.[1] === "-" ? -total : total;
}
