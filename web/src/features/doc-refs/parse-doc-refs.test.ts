import { describe, expect, it } from "vitest";
import {
  docRefNames,
  docRefQuery,
  filterDocRefs,
  insertDocRef,
  readStoredDocRefs,
  resolveDocRefs,
  type TDocRefTarget,
} from "./parse-doc-refs.ts";

const docs: TDocRefTarget[] = [
  { id: "1", agent_key: null, doc_type: "runbook", title: "Deploy runbook" },
  { id: "2", agent_key: null, doc_type: "mission", title: "Mission" },
  { id: "3", agent_key: "scout", doc_type: "memory", title: "Scout memory" },
];

describe("docRefNames", () => {
  it("reads #name and #agent/name as words, once each, in order, lower-cased (as the database does)", () => {
    expect(docRefNames("see #runbook and #Scout/memory, then #runbook again")).toEqual(["runbook", "scout/memory"]);
    expect(docRefNames("(#runbook). #mission!")).toEqual(["runbook", "mission"]);
  });

  it("ignores headings, URL fragments, entities, issue numbers and words with a # inside", () => {
    expect(docRefNames("# Heading\n## runbook")).toEqual([]);
    expect(docRefNames("https://example.com/page#runbook a&#x27;b c#runbook #1 ##runbook #scout/")).toEqual([]);
  });
});

describe("resolveDocRefs", () => {
  it("keeps the names that match a doc, in order; the others stay plain text", () => {
    expect(resolveDocRefs("#scout/memory #nothing #runbook", docs).map((d) => d.id)).toEqual(["3", "1"]);
    expect(resolveDocRefs("#memory", docs)).toEqual([]);
  });
});

describe("docRefQuery and insertDocRef", () => {
  it("finds the #word before the caret, only at a word start", () => {
    expect(docRefQuery("read #ru", 8)).toEqual({ start: 5, query: "ru" });
    expect(docRefQuery("#", 1)).toEqual({ start: 0, query: "" });
    expect(docRefQuery("a#ru", 4)).toBeNull();
    expect(docRefQuery("read #ru now", 12)).toBeNull();
  });

  it("replaces the typed word with the reference and a space, keeping what follows", () => {
    const doc = docs[2] as TDocRefTarget;
    const q = docRefQuery("read #sc", 8);
    expect(q && insertDocRef("read #sc", q, 8, doc)).toEqual({ text: "read #scout/memory ", caret: 19 });
    const mid = docRefQuery("read #sc later", 8);
    expect(mid && insertDocRef("read #sc later", mid, 8, doc)).toEqual({ text: "read #scout/memory later", caret: 19 });
  });
});

describe("filterDocRefs", () => {
  it("lists names starting with the query first, then titles containing it", () => {
    expect(filterDocRefs(docs, "").map((d) => d.id)).toEqual(["2", "1", "3"]);
    expect(filterDocRefs(docs, "m").map((d) => d.id)).toEqual(["2", "3"]);
    expect(filterDocRefs(docs, "deploy").map((d) => d.id)).toEqual(["1"]);
  });
});

describe("readStoredDocRefs", () => {
  it("reads metadata.doc_refs and skips malformed entries", () => {
    expect(readStoredDocRefs({ doc_refs: [{ id: "1", ref: "runbook", title: "Deploy runbook" }, { id: 2 }, null] })).toEqual([
      { id: "1", ref: "runbook", title: "Deploy runbook" },
    ]);
    expect(readStoredDocRefs({})).toEqual([]);
    expect(readStoredDocRefs(null)).toEqual([]);
  });
});
