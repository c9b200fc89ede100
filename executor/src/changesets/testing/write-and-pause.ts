// The child process of the SIGKILL tests: applies (or rolls back) changeset files with a write hook
// that, once file number `pauseAfter` (0-based) is in place, writes the marker file and waits to be
// killed. Usage: tsx write-and-pause.ts <job.json>
// job = {operation: "apply" | "rollback", workspaceDir, changesetId, files, pauseAfter, marker}.
import fs from "node:fs/promises";
import { applyChangesetFiles, type TApplyFile } from "../apply-changeset-files.ts";
import type { TWriteHooks } from "../put-files-in-state.ts";
import { rollbackChangesetFiles, type TRollbackFile } from "../rollback-changeset-files.ts";

type TJob = {
  operation: "apply" | "rollback";
  workspaceDir: string;
  changesetId: string;
  files: (TApplyFile & TRollbackFile)[];
  pauseAfter: number;
  marker: string;
};

const jobFile = process.argv[2];
if (!jobFile) throw new Error("usage: write-and-pause.ts <job.json>");
const job = JSON.parse(await fs.readFile(jobFile, "utf8")) as TJob;

const hooks: TWriteHooks = {
  async afterFile(index) {
    if (index !== job.pauseAfter) return;
    // Written then renamed, so the test never reads a half-written marker.
    await fs.writeFile(`${job.marker}.tmp`, String(process.pid));
    await fs.rename(`${job.marker}.tmp`, job.marker);
    // Keeps the process alive until the test kills it.
    setInterval(() => {}, 60_000);
    await new Promise(() => {});
  },
};
const write = job.operation === "apply" ? applyChangesetFiles : rollbackChangesetFiles;
await write({ workspaceDir: job.workspaceDir, changesetId: job.changesetId, files: job.files, hooks });
