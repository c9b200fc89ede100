import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { sleep, startRealtimeTestStack, type TRealtimeTestStack, waitUntil } from "../../testing/realtime-test-stack.ts";

let rt: TRealtimeTestStack;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  rt = await startRealtimeTestStack("protocol");
  await rt.sql.query(`
    create table public.rt_raw (id int primary key, body text, at timestamptz default '2026-01-02 03:04:05.123456+00');
    alter publication supabase_realtime add table public.rt_raw;
  `);
});

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await rt?.stop();
});

type TFrame = { data: unknown; binary: Buffer | null };

/** A raw Phoenix client: frames as parsed JSON (or Buffer for binary frames). */
async function connect(vsn: "1.0.0" | "2.0.0", apikey = rt.stack.SUPABASE_ANON_KEY) {
  const url = `${rt.stack.SUPABASE_URL.replace("http", "ws")}/realtime/v1/websocket?apikey=${apikey}&vsn=${vsn}`;
  const ws = new WebSocket(url);
  sockets.push(ws);
  const frames: TFrame[] = [];
  ws.on("message", (data, isBinary) => {
    const buf = Buffer.from(data as Buffer);
    frames.push(isBinary ? { data: null, binary: buf } : { data: JSON.parse(buf.toString("utf8")), binary: null });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const find = async (predicate: (f: TFrame) => boolean, what: string) => {
    await waitUntil(() => frames.some(predicate), what);
    return frames.find(predicate) as TFrame;
  };
  return { ws, frames, find, send: (frame: unknown) => ws.send(JSON.stringify(frame)) };
}

const isArrayFrame = (f: TFrame, ref: string | null, event: string) => Array.isArray(f.data) && f.data[1] === ref && f.data[3] === event;

describe("Phoenix protocol", () => {
  it("answers a heartbeat with an ok reply on the phoenix topic", async () => {
    const c = await connect("2.0.0");
    c.send([null, "7", "phoenix", "heartbeat", {}]);
    const reply = await c.find((f) => isArrayFrame(f, "7", "phx_reply"), "the heartbeat reply");
    expect(reply.data).toEqual([null, "7", "phoenix", "phx_reply", { status: "ok", response: {} }]);
  });

  it("echoes postgres_changes bindings in the join reply, in order, each with a numeric id", async () => {
    const c = await connect("2.0.0");
    const bindings = [
      { event: "INSERT", schema: "public", table: "rt_raw" },
      { event: "*", schema: "public", table: "rt_raw", filter: "id=gt.10" },
    ];
    c.send([
      "1",
      "1",
      "realtime:raw",
      "phx_join",
      {
        config: {
          broadcast: { ack: false, self: false },
          presence: { key: "", enabled: false },
          postgres_changes: bindings,
          private: false,
        },
      },
    ]);
    const reply = await c.find((f) => isArrayFrame(f, "1", "phx_reply"), "the join reply");
    const [joinRef, , topic, , payload] = reply.data as [
      string,
      string,
      string,
      string,
      { status: string; response: { postgres_changes: Array<Record<string, unknown>> } },
    ];
    expect([joinRef, topic, payload.status]).toEqual(["1", "realtime:raw", "ok"]);
    const echoed = payload.response.postgres_changes;
    expect(echoed.map(({ id: _id, ...rest }) => rest)).toEqual(bindings);
    expect(echoed.every((b) => typeof b.id === "number")).toBe(true);
    expect(new Set(echoed.map((b) => b.id)).size).toBe(2);
    const system = await c.find((f) => Array.isArray(f.data) && f.data[3] === "system", "the system message");
    expect((system.data as unknown[])[4]).toEqual({
      extension: "postgres_changes",
      status: "ok",
      message: "Subscribed to PostgreSQL",
      channel: "raw",
    });

    await rt.sql.query("insert into public.rt_raw (id, body) values (11, 'eleven')");
    const change = await c.find((f) => Array.isArray(f.data) && f.data[3] === "postgres_changes", "the change");
    const [, , , , message] = change.data as [null, null, string, string, { ids: number[]; data: Record<string, unknown> }];
    expect([...message.ids].sort()).toEqual(echoed.map((b) => b.id).sort());
    expect(Object.keys(message.data).sort()).toEqual(["columns", "commit_timestamp", "errors", "record", "schema", "table", "type"]);
    expect(message.data).toMatchObject({
      schema: "public",
      table: "rt_raw",
      type: "INSERT",
      errors: null,
      columns: [
        { name: "id", type: "int4" },
        { name: "body", type: "text" },
        { name: "at", type: "timestamptz" },
      ],
      record: { id: 11, body: "eleven", at: "2026-01-02T03:04:05.123456+00:00" },
    });
  });

  it("speaks vsn 1.0.0 JSON objects", async () => {
    const c = await connect("1.0.0");
    c.send({ topic: "realtime:v1", event: "phx_join", payload: { config: {} }, ref: "1", join_ref: "1" });
    const reply = await c.find((f) => (f.data as { event?: string })?.event === "phx_reply", "the v1 join reply");
    expect(reply.data).toMatchObject({ topic: "realtime:v1", ref: "1", payload: { status: "ok", response: { postgres_changes: [] } } });
  });

  it("refuses a socket whose apikey does not verify", async () => {
    const url = `${rt.stack.SUPABASE_URL.replace("http", "ws")}/realtime/v1/websocket?apikey=not-a-jwt&vsn=2.0.0`;
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
      ws.on("error", () => {});
    });
    expect(status).toBe(403);
  });

  it("relays a binary user broadcast push as a binary user broadcast and acks it", async () => {
    const sender = await connect("2.0.0");
    const receiver = await connect("2.0.0");
    const join = (c: Awaited<ReturnType<typeof connect>>, ack: boolean) =>
      c.send([
        "1",
        "1",
        "realtime:bin",
        "phx_join",
        { config: { broadcast: { ack, self: false }, presence: { key: "", enabled: false }, postgres_changes: [], private: false } },
      ]);
    join(sender, true);
    join(receiver, false);
    await sender.find((f) => isArrayFrame(f, "1", "phx_reply"), "sender joined");
    await receiver.find((f) => isArrayFrame(f, "1", "phx_reply"), "receiver joined");

    const enc = (s: string) => Buffer.from(s, "utf8");
    const [joinRef, ref, topic, event, body] = [enc("1"), enc("2"), enc("realtime:bin"), enc("hello"), enc(JSON.stringify({ n: 1 }))];
    const header = Buffer.from([3, joinRef.length, ref.length, topic.length, event.length, 0, 1]);
    sender.ws.send(Buffer.concat([header, joinRef, ref, topic, event, body]));

    const ack = await sender.find((f) => isArrayFrame(f, "2", "phx_reply"), "the ack");
    expect((ack.data as unknown[])[4]).toEqual({ status: "ok", response: {} });
    const relayed = await receiver.find((f) => f.binary !== null, "the relayed binary frame");
    const buf = relayed.binary as Buffer;
    expect(buf[0]).toBe(4);
    const [topicLen, eventLen, metaLen, encoding] = [buf[1] ?? 0, buf[2] ?? 0, buf[3] ?? 0, buf[4]];
    expect(encoding).toBe(1);
    expect(buf.subarray(5, 5 + topicLen).toString()).toBe("realtime:bin");
    expect(buf.subarray(5 + topicLen, 5 + topicLen + eventLen).toString()).toBe("hello");
    expect(JSON.parse(buf.subarray(5 + topicLen + eventLen + metaLen).toString())).toEqual({ n: 1 });
  });

  it("answers phx_leave with ok then phx_close, and rejects pushes to topics not joined", async () => {
    const c = await connect("2.0.0");
    c.send(["5", "5", "realtime:leave", "phx_join", { config: {} }]);
    await c.find((f) => isArrayFrame(f, "5", "phx_reply"), "joined");
    c.send(["5", "6", "realtime:leave", "phx_leave", {}]);
    const reply = await c.find((f) => isArrayFrame(f, "6", "phx_reply"), "the leave reply");
    expect((reply.data as unknown[])[4]).toEqual({ status: "ok", response: {} });
    await c.find((f) => Array.isArray(f.data) && f.data[3] === "phx_close" && f.data[0] === "5", "phx_close");
    c.send(["5", "7", "realtime:leave", "broadcast", { type: "broadcast", event: "x", payload: {} }]);
    const rejected = await c.find((f) => isArrayFrame(f, "7", "phx_reply"), "the unmatched topic reply");
    expect((rejected.data as unknown[])[4]).toEqual({ status: "error", response: { reason: "unmatched topic" } });
  });

  it("rejects a join whose access token is expired, with hosted's reason", async () => {
    const c = await connect("2.0.0");
    const expired = await rt.signToken({ role: "authenticated", sub: crypto.randomUUID() }, -30);
    c.send(["9", "9", "realtime:expired", "phx_join", { config: {}, access_token: expired }]);
    const reply = await c.find((f) => isArrayFrame(f, "9", "phx_reply"), "the join reply");
    const payload = (reply.data as unknown[])[4] as { status: string; response: { reason: string } };
    expect(payload.status).toBe("error");
    expect(payload.response.reason).toMatch(/^InvalidJWTToken: Token has expired \d+ seconds ago$/);
    await sleep(10);
  });
});
