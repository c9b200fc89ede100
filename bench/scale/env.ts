import { z } from "zod";

const count = (fallback: number) => z.coerce.number().int().min(1).max(10_000_000).default(fallback);

const ZScaleEnv = z.object({
  /** Activities in the seeded project's feed. */
  BENCH_SCALE_ACTIVITIES: count(100_000),
  /** Tasks on the seeded project's board and table. */
  BENCH_SCALE_TASKS: count(10_000),
  /** Messages in the seeded DM thread. */
  BENCH_SCALE_MESSAGES: count(20_000),
  /** "1" reuses the dashboard's production build in web/.next-serve instead of building it first. */
  BENCH_SKIP_WEB_BUILD: z.enum(["0", "1"]).default("0"),
  /** Debian's Chromium by default (the e2e specs use the same). */
  BENCH_CHROMIUM: z.string().min(1).default("/usr/bin/chromium"),
});

/** Settings of bench/dashboard-at-scale.ts, read once; each can be overridden with the variable of its name. */
export const scaleEnv = (() => {
  const parsed = ZScaleEnv.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid benchmark setting ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
})();

/** PATH and HOME for the processes the bench starts (`next build`, `next start`). */
export const parentPathAndHome = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
