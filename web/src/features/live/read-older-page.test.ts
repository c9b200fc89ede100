import type { TActivity } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import type { TLiveQuery, TLiveReader } from "./live-reader.ts";
import { readOlderPage, START_CURSOR } from "./read-older-page.ts";

/** Activities with seq 1..n of one project. */
function activities(n: number): TActivity[] {
  return Array.from({ length: n }, (_, i) => ({ id: `a${i + 1}`, seq: i + 1, project_id: "p" }) as unknown as TActivity);
}

/** Answers like PostgREST would: eq, seq below, newest first by seq, limit; records the queries. */
function memoryReader(rows: TActivity[]) {
  const queries: TLiveQuery[] = [];
  const reader: TLiveReader = {
    async read(_table, query) {
      queries.push(query);
      const below = query.seqBelow;
      const out = rows
        .filter((row) => below === undefined || row.seq < below)
        .sort((a, b) => b.seq - a.seq)
        .slice(0, query.limit);
      return out as never;
    },
  };
  return { reader, queries };
}

describe("readOlderPage", () => {
  it("reads the newest page first, then each page below the last one, until a short page says nothing is left", async () => {
    const { reader, queries } = memoryReader(activities(25));
    const seen: number[] = [];
    let cursor = START_CURSOR;
    for (let i = 0; i < 3; i++) {
      const page = await readOlderPage(reader, "activities", { project_id: "p" }, cursor, 10);
      seen.push(...page.rows.map((row) => row.seq));
      cursor = page.cursor;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    expect(cursor).toEqual({ seq: 1, exhausted: true });
    expect(queries.map((q) => q.seqBelow)).toEqual([undefined, 16, 6]);
    expect(queries[0]).toMatchObject({ eq: { project_id: "p" }, newestFirstBy: "seq", limit: 10 });
  });

  it("reads nothing more once the cursor is exhausted", async () => {
    const { reader, queries } = memoryReader(activities(3));
    const page = await readOlderPage(reader, "activities", { project_id: "p" }, { seq: 1, exhausted: true }, 10);
    expect(page.rows).toEqual([]);
    expect(queries).toEqual([]);
  });

  it("counts a page exactly as long as the page size as not the last (the next read finds out)", async () => {
    const { reader } = memoryReader(activities(10));
    const first = await readOlderPage(reader, "activities", { project_id: "p" }, START_CURSOR, 10);
    expect(first.cursor).toEqual({ seq: 1, exhausted: false });
    const second = await readOlderPage(reader, "activities", { project_id: "p" }, first.cursor, 10);
    expect(second).toEqual({ rows: [], cursor: { seq: 1, exhausted: true } });
  });
});
