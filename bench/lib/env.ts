import { z } from "zod";

const count = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

const ZBenchEnv = z.object({
  /** Inserts per realtime scenario (bench/realtime-latency.ts). */
  BENCH_INSERTS: count(1000),
  /** Seconds of load per REST path, in milliseconds (bench/rest-throughput.ts). */
  BENCH_DURATION_MS: count(5000),
  /** Pickups timed per mode (bench/delivery-pickup.ts). */
  BENCH_PICKUPS: count(200),
  /** Deliveries per throughput run (bench/delivery-pickup.ts). */
  BENCH_DELIVERIES: count(4000),
  /** Messages timed end to end (bench/delivery-roundtrip.ts). */
  BENCH_MESSAGES: count(200),
  /** Approvals timed per row (bench/approval-roundtrip.ts). */
  BENCH_APPROVALS: count(100),
});

/** Sizes of the benchmark runs, read once; each can be overridden with the variable of its name. */
export const benchEnv = (() => {
  const parsed = ZBenchEnv.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid benchmark setting ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
})();

/** The environment for child processes a benchmark spawns (they inherit the caller's). */
export const inheritedEnv: NodeJS.ProcessEnv = process.env;
