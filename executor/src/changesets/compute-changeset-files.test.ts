import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "@mission-control/shared/errors";
import { CHANGESET_LIMITS, type TChangesetInput, ZChangesetInput } from "@mission-control/shared/schemas";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeChangesetFiles } from "./compute-changeset-files.ts";

let root: string;
let workspace: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "mc-compute-changeset-"));
  workspace = path.join(root, "workspace");
  await fs.mkdir(path.join(workspace, "src"), { recursive: true });
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const changeset = (files: Partial<TChangesetInput["files"][number]>[]): TChangesetInput =>
  ZChangesetInput.parse({ summary: "Test change", files });
const sha = (text: string | Buffer) => crypto.createHash("sha256").update(text).digest("hex");

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => new Error("expected the changeset to be refused"),
    (caught: unknown) => caught,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("computeChangesetFiles", () => {
  it("binds each file to the sha-256 of its current bytes and computes the unified diff and its stats", async () => {
    await fs.writeFile(path.join(workspace, "src/app.ts"), "const a = 1;\nconst b = 2;\nexport { a, b };\n");
    await fs.writeFile(path.join(workspace, "OLD.md"), "gone\nsoon");
    const rows = await computeChangesetFiles(
      workspace,
      changeset([
        { path: "src/app.ts", new_content: "const a = 1;\nconst b = 3;\nconst c = 4;\nexport { a, b, c };\n", rationale: "bump b" },
        { path: "docs/CHANGELOG.md", new_content: "# Changelog\n\n- Added c\n", risk_notes: "none" },
        { path: "OLD.md", new_content: null },
      ]),
    );
    expect(rows).toEqual([
      {
        path: "src/app.ts",
        change_kind: "modify",
        base_sha256: sha("const a = 1;\nconst b = 2;\nexport { a, b };\n"),
        base_content: "const a = 1;\nconst b = 2;\nexport { a, b };\n",
        new_content: "const a = 1;\nconst b = 3;\nconst c = 4;\nexport { a, b, c };\n",
        new_sha256: sha("const a = 1;\nconst b = 3;\nconst c = 4;\nexport { a, b, c };\n"),
        unified_diff: [
          "--- a/src/app.ts",
          "+++ b/src/app.ts",
          "@@ -1,3 +1,4 @@",
          " const a = 1;",
          "-const b = 2;",
          "-export { a, b };",
          "+const b = 3;",
          "+const c = 4;",
          "+export { a, b, c };",
          "",
        ].join("\n"),
        rationale: "bump b",
        risk_notes: "",
        additions: 3,
        deletions: 2,
      },
      expect.objectContaining({
        path: "docs/CHANGELOG.md",
        change_kind: "add",
        base_sha256: null,
        base_content: null,
        new_sha256: sha("# Changelog\n\n- Added c\n"),
        unified_diff: "--- /dev/null\n+++ b/docs/CHANGELOG.md\n@@ -0,0 +1,3 @@\n+# Changelog\n+\n+- Added c\n",
        risk_notes: "none",
        additions: 3,
        deletions: 0,
      }),
      expect.objectContaining({
        path: "OLD.md",
        change_kind: "delete",
        base_sha256: sha("gone\nsoon"),
        base_content: "gone\nsoon",
        new_content: null,
        new_sha256: null,
        unified_diff: "--- a/OLD.md\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-gone\n-soon\n\\ No newline at end of file\n",
        additions: 0,
        deletions: 2,
      }),
    ]);
    // Computing reads only: the folder of the new file is not created.
    expect(await fs.stat(path.join(workspace, "docs")).catch(() => null)).toBeNull();
  });

  it("keeps CRLF line endings and a missing final newline in the diff, the counts ignoring the no-newline markers", async () => {
    await fs.writeFile(path.join(workspace, "win.txt"), "one\r\ntwo\r\nthree");
    const [row] = await computeChangesetFiles(workspace, changeset([{ path: "win.txt", new_content: "one\r\nTWO\r\nthree" }]));
    expect(row).toMatchObject({ change_kind: "modify", additions: 1, deletions: 1, base_content: "one\r\ntwo\r\nthree" });
    expect(row?.unified_diff).toBe(
      "--- a/win.txt\n+++ b/win.txt\n@@ -1,3 +1,3 @@\n one\r\n-two\r\n+TWO\r\n three\n\\ No newline at end of file\n",
    );
  });

  it("refuses every problem at once with what to do, creating nothing", async () => {
    await fs.writeFile(path.join(workspace, "same.txt"), "unchanged\n");
    await fs.writeFile(path.join(workspace, "image.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await fs.writeFile(path.join(workspace, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await fs.writeFile(path.join(workspace, "huge.txt"), "x".repeat(CHANGESET_LIMITS.maxFileChars + 1));
    await fs.symlink(root, path.join(workspace, "escape"));
    await fs.mkdir(path.join(workspace, ".mission-control"));
    await fs.symlink(path.join(workspace, ".mission-control"), path.join(workspace, "state"));
    const error = await refusal(
      computeChangesetFiles(
        workspace,
        changeset([
          { path: "missing.txt", new_content: null },
          { path: "same.txt", new_content: "unchanged\n" },
          { path: "image.png", new_content: "text" },
          { path: "latin1.txt", new_content: "café\n" },
          { path: "huge.txt", new_content: "small" },
          { path: ".mission-control/journal/x.json", new_content: "{}" },
          { path: "escape/secret.txt", new_content: "leak" },
          { path: "new/nul.txt", new_content: "a\0b" },
          { path: "state/journal/y.json", new_content: "{}" },
        ]),
      ),
    );
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(/^The changeset cannot be proposed \(9 files\): /);
    expect(error.message).toMatch(/Fix these files and propose the changeset again\.$/);
    expect(error.details.problems).toEqual([
      "missing.txt: cannot be deleted because it does not exist; remove it from the changeset or check the path with list_files",
      "same.txt: the new content is identical to the current file; leave the file out of the changeset",
      "image.png: the file is binary (it contains NUL bytes); changesets change text files only",
      "latin1.txt: the file is not UTF-8 text; changesets change UTF-8 text files only",
      "huge.txt: the file has 1,000,001 characters, more than the 1,000,000 a changeset may change; edit it outside Mission Control",
      expect.stringMatching(/^\.mission-control\/journal\/x\.json: .* inside \.mission-control\/, the executor's own folder/),
      expect.stringMatching(/^escape\/secret\.txt: .*symlink that points outside the workspace/),
      "new/nul.txt: the new content contains NUL bytes; write text only",
      expect.stringMatching(/^state\/journal\/y\.json: .* inside \.mission-control\/, the executor's own folder/),
    ]);
    expect(await fs.readdir(workspace)).toEqual(expect.not.arrayContaining(["new", "missing.txt"]));
    expect(await fs.readdir(path.join(workspace, ".mission-control"))).toEqual([]);
  });

  it("refuses two entries that name the same file", async () => {
    const error = await refusal(
      computeChangesetFiles(
        workspace,
        changeset([
          { path: "src/a.ts", new_content: "a" },
          { path: "./src/a.ts", new_content: "b" },
        ]),
      ),
    );
    expect(error.details.problems).toEqual(["./src/a.ts: names the same file as another entry (src/a.ts); list each file once"]);
  });
});
