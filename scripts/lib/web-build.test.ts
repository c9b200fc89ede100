import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashWebSources, isBuildCurrent, writeBuildStamp } from "./web-build.ts";

describe("the dashboard's build cache", () => {
  let root: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "mc-web-build-"));
    write("web/src/app/page.tsx", "export default 1;\n");
    write("shared/src/rows/index.ts", "export const a = 1;\n");
    write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
    write("web/next.config.ts", "export default {};\n");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("changes with the web and shared sources, the lockfile, the Next config and NEXT_PUBLIC_* values; not with tests or other env", () => {
    const before = hashWebSources(root, { PATH: "/bin" });
    expect(hashWebSources(root, { PATH: "/usr/bin", SUPABASE_URL: "x" })).toBe(before);
    write("web/src/app/page.test.ts", "test\n");
    expect(hashWebSources(root, {})).toBe(before);

    const edits: [string, string, string][] = [
      ["web source", "web/src/app/page.tsx", "export default 2;\n"],
      ["shared source", "shared/src/rows/index.ts", "export const a = 2;\n"],
      ["lockfile", "pnpm-lock.yaml", "lockfileVersion: '9.1'\n"],
      ["next config", "web/next.config.ts", "export default { a: 1 };\n"],
      ["new file", "web/src/app/icon.svg", "<svg/>"],
    ];
    const changes: [string, () => string][] = [
      ...edits.map(([what, file, text]): [string, () => string] => [
        what,
        () => {
          write(file, text);
          return hashWebSources(root, {});
        },
      ]),
      ["NEXT_PUBLIC env", () => hashWebSources(root, { NEXT_PUBLIC_FLAG: "1" })],
    ];
    const seen = new Set([before]);
    for (const [what, change] of changes) {
      const hash = change();
      expect(seen.has(hash), `${what} did not change the hash`).toBe(false);
      seen.add(hash);
    }
  });

  it("takes a build as current only when its stamp has the same hash and the same BUILD_ID", () => {
    const dist = path.join(root, "web", ".next-serve");
    const hash = hashWebSources(root, {});
    expect(isBuildCurrent(dist, hash)).toBe(false);
    write("web/.next-serve/BUILD_ID", "build-1");
    expect(isBuildCurrent(dist, hash)).toBe(false);
    writeBuildStamp(dist, hash);
    expect(isBuildCurrent(dist, hash)).toBe(true);

    write("web/src/app/page.tsx", "export default 3;\n");
    expect(isBuildCurrent(dist, hashWebSources(root, {}))).toBe(false);
    // Another build in the same folder (e.g. made by hand) is not the stamped one.
    write("web/.next-serve/BUILD_ID", "build-2");
    expect(isBuildCurrent(dist, hash)).toBe(false);
  });
});
