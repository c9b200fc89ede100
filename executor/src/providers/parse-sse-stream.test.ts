import { describe, expect, it } from "vitest";
import { parseSseStream, type TSseEvent } from "./parse-sse-stream.ts";

async function collect(chunks: (string | Uint8Array)[]): Promise<TSseEvent[]> {
  async function* source() {
    yield* chunks;
  }
  const events: TSseEvent[] = [];
  for await (const event of parseSseStream(source())) events.push(event);
  return events;
}

describe("parseSseStream", () => {
  it("splits events on blank lines and names them from the event field", async () => {
    expect(await collect(["event: ping\ndata: {}\n\ndata: one\n\n"])).toEqual([
      { event: "ping", data: "{}" },
      { event: "message", data: "one" },
    ]);
  });

  it("joins multi-line data and ignores comments and unknown fields", async () => {
    expect(await collect([": comment\nid: 7\nretry: 100\ndata: a\ndata:b\n\n"])).toEqual([{ event: "message", data: "a\nb" }]);
  });

  it("accepts CRLF and lone CR line endings, even split across chunks", async () => {
    expect(await collect(["data: x\r", "\n\r\ndata: y\r\r"])).toEqual([
      { event: "message", data: "x" },
      { event: "message", data: "y" },
    ]);
  });

  it("decodes a UTF-8 character split between two chunks", async () => {
    const bytes = new TextEncoder().encode("data: héllo ✓\n\n");
    const cut = bytes.indexOf(0xc3) + 1;
    expect(await collect([bytes.slice(0, cut), bytes.slice(cut)])).toEqual([{ event: "message", data: "héllo ✓" }]);
  });

  it("delivers an event left unterminated at the end of the stream", async () => {
    expect(await collect(["data: [DONE]"])).toEqual([{ event: "message", data: "[DONE]" }]);
  });

  it("yields nothing for text that has no data fields", async () => {
    expect(await collect(["hello\nnot an event stream\n\n"])).toEqual([]);
  });
});
