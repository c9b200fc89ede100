import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "@mission-control/shared/errors";
import { ZChangesetInput } from "@mission-control/shared/schemas";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyChangesetFiles } from "./apply-changeset-files.ts";
import { readJournal } from "./changeset-journal.ts";
import { commitChangesetJournal } from "./commit-changeset-journal.ts";
import { computeChangesetFiles, type TChangesetFileProposal } from "./compute-changeset-files.ts";

let root: string;
let workspace: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "mc-apply-changeset-"));
  await fs.mkdir(path.join(root, "workspace"));
  workspace = await fs.realpath(path.join(root, "workspace"));
  await fs.mkdir(path.join(workspace, "src"));
  await fs.writeFile(path.join(workspace, "src/app.ts"), "export const version = 1;\n");
  await fs.writeFile(path.join(workspace, "README.md"), "# App\r\nRun it.");
  await fs.writeFile(path.join(workspace, "OLD.md"), "obsolete\n");
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const read = (p: string) => fs.readFile(path.join(workspace, p), "utf8").catch(() => null);

/** A three-file changeset (modify, add in a new folder, delete) computed against the workspace. */
async function propose(): Promise<TChangesetFileProposal[]> {
  return computeChangesetFiles(
    workspace,
    ZChangesetInput.parse({
      summary: "Bump the version",
      files: [
        { path: "src/app.ts", new_content: "export const version = 2;\n" },
        { path: "docs/CHANGELOG.md", new_content: "# Changelog\n- 2\n" },
        { path: "OLD.md", new_content: null },
      ],
    }),
  );
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => new Error("expected the apply to be refused"),
    (caught: unknown) => caught,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("applyChangesetFiles", () => {
  it("writes every file, keeps a journal of the previous bytes until the apply is committed, and answers the paths", async () => {
    const files = await propose();
    const id = crypto.randomUUID();
    const paths = await applyChangesetFiles({ workspaceDir: workspace, changesetId: id, files });
    expect(paths).toEqual(["src/app.ts", "docs/CHANGELOG.md", "OLD.md"]);
    expect(await read("src/app.ts")).toBe("export const version = 2;\n");
    expect(await read("docs/CHANGELOG.md")).toBe("# Changelog\n- 2\n");
    expect(await read("OLD.md")).toBeNull();
    expect(await read("README.md")).toBe("# App\r\nRun it.");

    const journal = await readJournal(workspace, id);
    expect(journal).toMatchObject({ changeset_id: id, operation: "apply", owner: { pid: process.pid } });
    expect(journal?.files.map((f) => [f.path, f.previous && Buffer.from(f.previous, "base64").toString(), f.next !== null])).toEqual([
      ["src/app.ts", "export const version = 1;\n", true],
      ["docs/CHANGELOG.md", null, true],
      ["OLD.md", "obsolete\n", false],
    ]);
    await commitChangesetJournal(workspace, id);
    expect(await readJournal(workspace, id)).toBeNull();
    // No temporary files are left next to the targets.
    expect((await fs.readdir(path.join(workspace, "src"))).sort()).toEqual(["app.ts"]);
  });

  it("refuses the whole apply when a file changed since the proposal, writing nothing", async () => {
    const files = await propose();
    await fs.writeFile(path.join(workspace, "OLD.md"), "edited by hand\n");
    await fs.mkdir(path.join(workspace, "docs"));
    await fs.writeFile(path.join(workspace, "docs/CHANGELOG.md"), "someone was faster\n");
    const id = crypto.randomUUID();
    const error = await refusal(applyChangesetFiles({ workspaceDir: workspace, changesetId: id, files }));
    expect(error.code).toBe("conflict");
    expect(error.message).toContain("file changed since the proposal: docs/CHANGELOG.md, OLD.md");
    expect(error.message).toContain("Nothing was written");
    expect(error.details.changed).toEqual(["docs/CHANGELOG.md", "OLD.md"]);
    expect(await read("src/app.ts")).toBe("export const version = 1;\n");
    expect(await read("docs/CHANGELOG.md")).toBe("someone was faster\n");
    expect(await read("OLD.md")).toBe("edited by hand\n");
    expect(await readJournal(workspace, id)).toBeNull();
  });

  it("creates no folder when it refuses an apply", async () => {
    const files = await propose();
    await fs.writeFile(path.join(workspace, "src/app.ts"), "export const version = 99;\n");
    await refusal(applyChangesetFiles({ workspaceDir: workspace, changesetId: crypto.randomUUID(), files }));
    expect(await fs.stat(path.join(workspace, "docs")).catch(() => null)).toBeNull();
  });

  it("applies only the files it is given (a partial approval), leaving the others as they are", async () => {
    const files = await propose();
    const accepted = files.filter((f) => f.path !== "docs/CHANGELOG.md");
    const paths = await applyChangesetFiles({ workspaceDir: workspace, changesetId: crypto.randomUUID(), files: accepted });
    expect(paths).toEqual(["src/app.ts", "OLD.md"]);
    expect(await read("src/app.ts")).toBe("export const version = 2;\n");
    expect(await read("OLD.md")).toBeNull();
    expect(await fs.stat(path.join(workspace, "docs")).catch(() => null)).toBeNull();
  });

  it("puts every file back and removes the journal when a write fails halfway", async () => {
    const files = await propose();
    const id = crypto.randomUUID();
    const error = await refusal(
      applyChangesetFiles({
        workspaceDir: workspace,
        changesetId: id,
        files,
        hooks: {
          afterFile: (index) => {
            if (index === 1) throw new Error("disk full");
          },
        },
      }),
    );
    expect(error.message).toBe("Could not write the files (disk full): every file was put back as it was.");
    expect(await read("src/app.ts")).toBe("export const version = 1;\n");
    expect(await read("docs/CHANGELOG.md")).toBeNull();
    expect(await read("OLD.md")).toBe("obsolete\n");
    expect(await readJournal(workspace, id)).toBeNull();
  });

  it("keeps an executable file executable", async () => {
    await fs.writeFile(path.join(workspace, "run.sh"), "#!/bin/sh\necho 1\n", { mode: 0o755 });
    await fs.chmod(path.join(workspace, "run.sh"), 0o755);
    const files = await computeChangesetFiles(
      workspace,
      ZChangesetInput.parse({ summary: "Echo 2", files: [{ path: "run.sh", new_content: "#!/bin/sh\necho 2\n" }] }),
    );
    await applyChangesetFiles({ workspaceDir: workspace, changesetId: crypto.randomUUID(), files });
    expect((await fs.stat(path.join(workspace, "run.sh"))).mode & 0o777).toBe(0o755);
  });

  it("refuses a second apply of a changeset whose journal is still there", async () => {
    const files = await propose();
    const id = crypto.randomUUID();
    await applyChangesetFiles({ workspaceDir: workspace, changesetId: id, files: files.slice(0, 1) });
    const error = await refusal(applyChangesetFiles({ workspaceDir: workspace, changesetId: id, files: files.slice(1) }));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/has an unfinished apply or rollback .*: nothing was written/);
    expect(await read("OLD.md")).toBe("obsolete\n");
  });
});
