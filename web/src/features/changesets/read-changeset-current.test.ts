import { describe, expect, it } from "vitest";
import { readChangesetCurrent } from "./read-changeset-current.ts";

const id = "3f0e8a4e-7c1d-4b7e-9a51-2f3c4d5e6f70";

describe("readChangesetCurrent", () => {
  it("reads the workspace files of a changeset with the operator's token", async () => {
    let seen = "";
    const answer = await readChangesetCurrent({
      controlApiUrl: "http://control",
      accessToken: "jwt",
      changesetId: id,
      fetch: async (url, init) => {
        seen = `${init?.method ?? "GET"} ${String(url)} ${((init?.headers ?? {}) as Record<string, string>).authorization}`;
        const files = [{ path: "a.md", exists: true, sha256: "s", content: "x", matches_base: false }];
        return new Response(JSON.stringify({ changeset_id: id, files }), { status: 200 });
      },
    });
    expect(seen).toBe(`GET http://control/api/changesets/${id}/current Bearer jwt`);
    expect(answer?.files[0]?.matches_base).toBe(false);
  });

  it("says the diffs stay as proposed when the executor is away", async () => {
    const err = await readChangesetCurrent({
      controlApiUrl: "http://control",
      accessToken: "jwt",
      changesetId: id,
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    }).catch((e: Error) => e);
    expect((err as Error).message).toContain("the diffs are shown as proposed");
  });
});
