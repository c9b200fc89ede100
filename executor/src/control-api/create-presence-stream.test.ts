import http from "node:http";
import type { AddressInfo } from "node:net";
import { PRESENCE_STREAM_PATH } from "@mission-control/shared/control-api";
import { afterEach, describe, expect, it } from "vitest";
import { createPresenceStreams, type TPresenceStreams } from "./create-presence-stream.ts";

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

async function serve(streams: TPresenceStreams): Promise<string> {
  server = http.createServer((req, res) => {
    if (!streams.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("createPresenceStreams", () => {
  it("answers the presence path with an event stream that asks for a reconnect within a second", async () => {
    const streams = createPresenceStreams();
    const url = await serve(streams);
    const res = await fetch(`${url}${PRESENCE_STREAM_PATH}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("retry: 1000");
    expect(first).toContain("event: presence\ndata: up");
    streams.endAll();
    // The stream ends when the executor stops: the dashboard's EventSource sees the drop at once.
    for (;;) if ((await reader.read()).done) break;
    // A reconnect while stopping is refused, so no new stream holds the closing server open.
    const again = await fetch(`${url}${PRESENCE_STREAM_PATH}`);
    expect(again.status).toBe(503);
    expect(again.headers.get("connection")).toBe("close");
  });

  it("leaves every other request to the routes", async () => {
    const url = await serve(createPresenceStreams());
    expect((await fetch(`${url}/health`)).status).toBe(404);
    expect((await fetch(`${url}${PRESENCE_STREAM_PATH}`, { method: "POST" })).status).toBe(404);
  });
});
