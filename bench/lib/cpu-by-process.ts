import fs from "node:fs";

/**
 * CPU seconds (user + system, all threads) of every process on the machine, by pid, labelled by
 * what runs there (a Postgres backend's own title, a node script's name); with `since`, the
 * difference from that reading, summed by label. Kernel workers are left out: their names change
 * with the work item. Linux only (/proc).
 */
export function cpuByProcess(since?: Map<string, number>): Map<string, number> {
  const ticksPerSecond = 100;
  const byPid = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const pid of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    let cmdline: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    } catch {
      continue;
    }
    if (!cmdline) continue;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    byPid.set(pid, (Number(fields[11]) + Number(fields[12])) / ticksPerSecond);
    labels.set(pid, processLabel(cmdline));
  }
  if (!since) return byPid;
  const used = new Map<string, number>();
  for (const [pid, seconds] of byPid) {
    const label = labels.get(pid) ?? pid;
    used.set(label, (used.get(label) ?? 0) + seconds - (since.get(pid) ?? 0));
  }
  return used;
}

/** "postgres: walsender", "postgres: backends", "node serve-bench-stack.ts", … */
function processLabel(cmdline: string): string {
  if (cmdline.startsWith("postgres:")) {
    if (cmdline.includes("walsender")) return "postgres: walsender";
    if (/^postgres: \S+ \S+ (127\.0\.0\.1|\[local\]|::1)/.test(cmdline)) return "postgres: backends";
    return `postgres: ${cmdline.split(" ")[1] ?? "other"}`;
  }
  const script = cmdline.split(" ").find((part) => /\.(ts|js|mjs)$/.test(part));
  return script ? `${cmdline.split(" ")[0]?.split("/").pop()} ${script.split("/").pop()}` : (cmdline.split(" ")[0] ?? cmdline);
}
