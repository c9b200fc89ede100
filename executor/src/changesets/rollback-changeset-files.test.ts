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
import { rollbackChangesetFiles } from "./rollback-changeset-files.ts";

let root: string;
let workspace: string;

/** Text whose bytes a careless round trip would change: a BOM, CRLF, a lone CR, non-ASCII, no final newline. */
const TRICKY = "\uFEFFline one\r\nligne deux: café, 日本語, 🚀\r\n\tindented  \rlone CR\n\nlast line without newline";
const ORIGINAL = {
  "src/tricky.txt": TRICKY,
  "src/config.json": '{\n  "a": 1\n}\n',
  "GONE.md": "# Soon deleted\r\n",
};

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "mc-rollback-changeset-"));
  await fs.mkdir(path.join(root, "workspace", "src"), { recursive: true });
  workspace = await fs.realpath(path.join(root, "workspace"));
  for (const [p, content] of Object.entries(ORIGINAL)) await fs.writeFile(path.join(workspace, p), content);
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const bytes = (p: string) => fs.readFile(path.join(workspace, p)).catch(() => null);

/** Applies and commits a changeset touching every kind of file; answers its rows. */
async function applied(id: string): Promise<TChangesetFileProposal[]> {
  const files = await computeChangesetFiles(
    workspace,
    ZChangesetInput.parse({
      summary: "Everything at once",
      files: [
        { path: "src/tricky.txt", new_content: "replaced\n" },
        { path: "src/config.json", new_content: '{\n  "a": 2\n}\n' },
        { path: "GONE.md", new_content: null },
        { path: "new/dir/ADDED.md", new_content: "added\r\n" },
      ],
    }),
  );
  await applyChangesetFiles({ workspaceDir: workspace, changesetId: id, files });
  await commitChangesetJournal(workspace, id);
  return files;
}

describe("rollbackChangesetFiles", () => {
  it("restores the previous bytes exactly, recreates deleted files and deletes added ones", async () => {
    const id = crypto.randomUUID();
    const files = await applied(id);
    expect(await bytes("GONE.md")).toBeNull();
    const restored = await rollbackChangesetFiles({ workspaceDir: workspace, changesetId: id, files });
    expect(restored).toEqual(["src/tricky.txt", "src/config.json", "GONE.md", "new/dir/ADDED.md"]);
    for (const [p, content] of Object.entries(ORIGINAL)) expect(await bytes(p)).toEqual(Buffer.from(content, "utf8"));
    expect(await bytes("new/dir/ADDED.md")).toBeNull();
    // Same journal machinery as an apply: it stays until the rollback is recorded.
    expect(await readJournal(workspace, id)).toMatchObject({ operation: "rollback" });
    await commitChangesetJournal(workspace, id);
    expect(await readJournal(workspace, id)).toBeNull();
  });

  it("rolls back only the files it is given (the applied ones of a partial approval)", async () => {
    const id = crypto.randomUUID();
    const files = await applied(id);
    const restored = await rollbackChangesetFiles({
      workspaceDir: workspace,
      changesetId: id,
      files: files.filter((f) => f.path === "src/config.json"),
    });
    expect(restored).toEqual(["src/config.json"]);
    expect((await bytes("src/config.json"))?.toString()).toBe(ORIGINAL["src/config.json"]);
    expect((await bytes("src/tricky.txt"))?.toString()).toBe("replaced\n");
  });

  it("refuses the whole rollback when a file changed since the apply, writing nothing", async () => {
    const id = crypto.randomUUID();
    const files = await applied(id);
    await fs.writeFile(path.join(workspace, "src/config.json"), "edited after the apply\n");
    await fs.writeFile(path.join(workspace, "GONE.md"), "recreated by hand\n");
    const error = await rollbackChangesetFiles({ workspaceDir: workspace, changesetId: id, files }).then(
      () => new Error("expected a refusal"),
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "conflict", details: { changed: ["src/config.json", "GONE.md"] } });
    expect((error as AppError).message).toContain("file changed since the apply: src/config.json, GONE.md");
    expect((await bytes("src/tricky.txt"))?.toString()).toBe("replaced\n");
    expect((await bytes("new/dir/ADDED.md"))?.toString()).toBe("added\r\n");
    expect(await readJournal(workspace, id)).toBeNull();
  });

  it("refuses stored previous content that does not match its sha-256 (it could not be restored exactly)", async () => {
    const id = crypto.randomUUID();
    const files = await applied(id);
    const tampered = files.map((f) => (f.path === "src/config.json" ? { ...f, base_content: '{"a":1}' } : f));
    await expect(rollbackChangesetFiles({ workspaceDir: workspace, changesetId: id, files: tampered })).rejects.toThrow(
      /src\/config\.json: the stored previous content does not match its sha-256/,
    );
    expect((await bytes("src/config.json"))?.toString()).toBe('{\n  "a": 2\n}\n');
  });
});
