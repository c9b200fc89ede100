import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const BENCHMARKS = [
  "stack-cold-start.ts",
  "rest-throughput.ts",
  "realtime-latency.ts",
  "realtime-sustained.ts",
  "delivery-pickup.ts",
  "delivery-roundtrip.ts",
  "approval-roundtrip.ts",
  "run-pickup.ts",
  "schedule-tick.ts",
];

/** `pnpm bench`: runs every benchmark in its own process, one after the other, and prints their numbers. */
let failed = 0;
for (const file of BENCHMARKS) {
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(here, file)], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
