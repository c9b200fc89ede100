import http from "node:http";
import net from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { signedInClient, stackInfo } from "../../testing/stack-clients.ts";

// A bounded, seeded fuzzer over the whole gateway: REST, auth and the realtime socket get random
// and mutated paths, query strings, headers, bodies and frames. Every request must be answered
// (within ANSWER_MS), never with a 5xx, and the gateway must still answer afterwards. The seed is
// fixed so a failure replays; fast-check prints the seed and the shrunk counterexample. Writes use
// the anon key or a fresh user who belongs to no project, and the service role key only reads, so
// the fuzzer cannot disturb other test files sharing the stack.

const SEED = 20261202;
const ANSWER_MS = 5_000;

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let userToken = "";

beforeAll(async () => {
  const { client } = await signedInClient("fuzz");
  userToken = (await client.auth.getSession()).data.session?.access_token ?? "";
});
afterAll(() => agent.destroy());

interface TFuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Sends one request over the single keep-alive socket and resolves with its status, or rejects after ANSWER_MS. */
function send(r: TFuzzRequest): Promise<number> {
  const { url } = stackInfo();
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest;
    try {
      req = http.request(`${url}${r.path}`, { method: r.method, agent, headers: r.headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      });
    } catch (err) {
      // Node refused to send it (an invalid header value or path): nothing reached the gateway.
      resolve(-1);
      void err;
      return;
    }
    req.setTimeout(ANSWER_MS, () => req.destroy(new Error(`${r.method} ${r.path}: no answer within ${ANSWER_MS} ms`)));
    req.on("error", reject);
    req.end(r.body);
  });
}

/** Percent-encodes the UTF-8 bytes of a character (a lone surrogate too, which encodeURIComponent refuses). */
const percentEncode = (c: string) => [...Buffer.from(c, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");

const nasty = fc.constantFrom(
  "",
  "..",
  "%00",
  "\u0000",
  "%",
  "%E0%A4%A",
  "'",
  '"',
  "\\",
  "🚀",
  "a".repeat(3000),
  "select=*",
  "id=eq.1",
  "or=(a.eq.1,b.eq.2)",
  "select=x(y(z(w)))",
  "limit=-1",
  "offset=1e400",
  "order=id.desc.nullsfirst",
  "grant_type=password",
  "grant_type=refresh_token",
  "vsn=3.0.0",
);
const segment = fc.oneof(
  nasty,
  fc.string({ maxLength: 12 }).map((text) => text.replace(/[^A-Za-z0-9_.~-]/gu, percentEncode)),
  fc.constantFrom("projects", "tasks", "agents", "executor_presence", "project_members", "rpc", "labs_feature_enabled", "no_such"),
);
const path = fc
  .tuple(
    fc.constantFrom(
      "/rest/v1/",
      "/rest/v1/rpc/",
      "/auth/v1/",
      "/auth/v1/token",
      "/auth/v1/admin/users/",
      "/realtime/v1/",
      "/",
      "//",
      "/rest/v1",
    ),
    fc.array(segment, { maxLength: 3 }),
    fc.array(fc.tuple(segment, segment), { maxLength: 4 }),
  )
  .map(([prefix, parts, query]) => {
    const q = query.map(([k, v]) => `${k}=${v}`).join("&");
    return `${prefix}${parts.join("/")}${q ? `?${q}` : ""}`.replace(/[^\x21-\x7e]/gu, percentEncode);
  });

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .tuple(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.nat(),
      fc.string({ maxLength: 4 }),
    )
    .map(([text, at, junk]) => text.slice(0, at % (text.length + 1)) + junk + text.slice(at % (text.length + 1))),
  fc.constantFrom(
    '{"email":"a@b.c","password":"pass\\u0000word"}',
    '{"p_proposal_id":"00000000-0000-0000-0000-000000000000","p_decision":"approve"}',
    '{"target_project":"00000000-0000-0000-0000-000000000000","feature":"dms"}',
    `${"[".repeat(5000)}${"]".repeat(5000)}`,
    JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i }))),
    '{"refresh_token":"\\u0000"}',
    "",
    "null",
  ),
);

type TKey = "none" | "anon" | "user" | "service" | "garbage";
const request = fc
  .record({
    method: fc.constantFrom("GET", "HEAD", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"),
    path,
    key: fc.constantFrom<TKey>("none", "anon", "user", "service", "garbage"),
    contentType: fc.constantFrom("application/json", "text/csv", "application/x-www-form-urlencoded", "application/octet-stream", "∅", ""),
    prefer: fc.constantFrom(
      "",
      "return=representation",
      "count=exact",
      "resolution=merge-duplicates",
      "tx=rollback",
      "params=single-object",
      "max-affected=0",
      "x=y",
    ),
    accept: fc.constantFrom(
      "",
      "application/json",
      "text/csv",
      "application/vnd.pgrst.object+json",
      "application/geo+json",
      "*/*",
      "image/png",
    ),
    range: fc.constantFrom("", "0-9", "5-1", "a-b", "-1"),
    profile: fc.constantFrom("", "public", "auth", "pg_catalog", "nope"),
    body: fc.option(jsonBody, { nil: undefined }),
  })
  .map((r): TFuzzRequest => {
    const { anonKey, serviceRoleKey } = stackInfo();
    // The service role only reads: a fuzzed delete without a filter must not wipe other tests' rows.
    const key = r.key === "service" && !["GET", "HEAD", "OPTIONS"].includes(r.method) ? "anon" : r.key;
    const token = { none: "", anon: anonKey, user: userToken, service: serviceRoleKey, garbage: "eyJhbGciOiJIUzI1NiJ9.e30.x" }[key];
    const headers: Record<string, string> = {};
    if (token) {
      headers.apikey = key === "user" ? anonKey : token;
      headers.authorization = `Bearer ${token}`;
    }
    if (r.contentType) headers["content-type"] = r.contentType.replace(/[^\x20-\x7e]/g, "?");
    if (r.prefer) headers.prefer = r.prefer;
    if (r.accept) headers.accept = r.accept;
    if (r.range) headers.range = r.range;
    if (r.profile) {
      headers["accept-profile"] = r.profile;
      headers["content-profile"] = r.profile;
    }
    const hasBody = r.body !== undefined && !["GET", "HEAD"].includes(r.method);
    // Node sends a DELETE or OPTIONS body without a length unless told: that is a broken request
    // (the raw-socket case covers those), not what a client does.
    if (hasBody) headers["content-length"] = String(Buffer.byteLength(r.body ?? ""));
    return { method: r.method, path: r.path, headers, ...(hasBody ? { body: r.body } : {}) };
  });

/** Writes raw bytes on a fresh socket and resolves with the status line's code (0 when the server just closed). */
function sendRaw(bytes: string): Promise<number> {
  const { url } = stackInfo();
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`raw request ${JSON.stringify(bytes.slice(0, 120))}: no answer within ${ANSWER_MS} ms`));
    }, ANSWER_MS);
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      if (text.includes("\r\n")) socket.destroy();
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0));
    });
    socket.on("error", () => undefined);
    socket.write(bytes, "latin1");
  });
}

const rawRequest = fc
  .tuple(
    fc.constantFrom("GET", "POST", "BREW", "G\u0000T", ""),
    fc.oneof(
      fc.constantFrom("/rest/v1/projects", "/auth/v1/health", "*", "http://x/", "/realtime/v1/websocket", " "),
      fc.string({ maxLength: 20 }),
    ),
    fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9", ""),
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom("host", "content-length", "transfer-encoding", "upgrade", "connection", "apikey"),
          fc.string({ maxLength: 8 }),
        ),
        fc.string({ maxLength: 20 }),
      ),
      { maxLength: 4 },
    ),
    fc.string({ maxLength: 30 }),
  )
  .map(([method, target, version, headers, body]) => {
    const lines = [`${method} ${target} ${version}`, "host: localhost", ...headers.map(([k, v]) => `${k}: ${v}`), "connection: close"];
    return `${lines.join("\r\n")}\r\n\r\n${body}`;
  });

async function gatewayStillUp(): Promise<void> {
  const { url, anonKey } = stackInfo();
  const rest = await fetch(`${url}/rest/v1/`, { headers: { apikey: anonKey } });
  expect(rest.status).toBeLessThan(500);
  const auth = await fetch(`${url}/auth/v1/health`);
  expect(auth.status).toBe(200);
}

describe(`fuzzing the gateway (seed ${SEED})`, () => {
  it("answers every random REST and auth request on one keep-alive socket, never with a 5xx", async () => {
    let previous = "nothing";
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const shown = `${r.method} ${r.path} ${JSON.stringify(r.headers)} ${r.body?.slice(0, 200) ?? ""}`;
        const status = await send(r).catch((err: Error) => {
          throw new Error(`${err.message} (after ${previous})`);
        });
        previous = shown;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status, shown).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: 600, verbose: true },
    );
    // The fuzzer is not vacuous: nearly every request reached the gateway, with a spread of answers.
    expect(statuses.get(-1) ?? 0, JSON.stringify([...statuses])).toBeLessThan(60);
    expect([...statuses.keys()].filter((s) => s >= 200 && s < 300).length).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((s) => s >= 400 && s < 500).length).toBeGreaterThan(3);
    await gatewayStillUp();
  }, 60_000);

  it("answers malformed raw HTTP with a 4xx or a closed socket, never a 5xx or silence", async () => {
    await fc.assert(
      fc.asyncProperty(rawRequest, async (bytes) => {
        const status = await sendRaw(bytes);
        expect(status, JSON.stringify(bytes)).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: 80, verbose: true },
    );
    await gatewayStillUp();
  }, 60_000);

  it("keeps a realtime socket answering heartbeats after random frames", async () => {
    const { url, anonKey } = stackInfo();
    const topic = fc.oneof(fc.constantFrom("phoenix", "realtime:public", "realtime:any", "realtime:", ""), fc.string({ maxLength: 10 }));
    const event = fc.oneof(
      fc.constantFrom("phx_join", "phx_leave", "heartbeat", "access_token", "broadcast", "presence", "phx_reply"),
      fc.string({ maxLength: 8 }),
    );
    const payload = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(
        { config: { postgres_changes: [{ event: "*", schema: "public", table: "tasks", filter: "id=eq.'" }] } },
        { config: { postgres_changes: [{ event: "nope", schema: "pg_catalog", table: "pg_authid" }] }, access_token: "garbage" },
        { access_token: "\u0000" },
        { type: "broadcast", event: "x", payload: { a: 1 } },
        { type: "presence", event: "track", payload: { "\u0000": 1 } },
      ),
    );
    const frame = fc.oneof(
      fc
        .tuple(fc.option(fc.string({ maxLength: 3 })), fc.option(fc.string({ maxLength: 3 })), topic, event, payload)
        .map((a) => ({ text: JSON.stringify(a) })),
      fc.record({ topic, event, payload, ref: fc.string({ maxLength: 3 }) }).map((o) => ({ text: JSON.stringify(o) })),
      fc.string({ maxLength: 40 }).map((text) => ({ text })),
      fc.uint8Array({ maxLength: 40 }).map((bytes) => ({ binary: Buffer.from(bytes) })),
      fc.uint8Array({ minLength: 7, maxLength: 40 }).map((bytes) => ({ binary: Buffer.from([3, ...bytes.slice(1)]) })),
    );
    for (const vsn of ["1.0.0", "2.0.0"]) {
      const ws = new WebSocket(`${url.replace(/^http/, "ws")}/realtime/v1/websocket?apikey=${anonKey}&vsn=${vsn}`);
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      let closeCode: number | null = null;
      ws.on("close", (code) => {
        closeCode = code;
      });
      let hb = 0;
      const heartbeat = () =>
        new Promise<void>((resolve, reject) => {
          hb += 1;
          const ref = `hb-${hb}`;
          const timer = setTimeout(() => reject(new Error(`vsn ${vsn}: no heartbeat reply within ${ANSWER_MS} ms`)), ANSWER_MS);
          const onMessage = (data: WebSocket.RawData) => {
            const text = data.toString();
            if (text.includes(`"${ref}"`)) {
              clearTimeout(timer);
              ws.off("message", onMessage);
              resolve();
            }
          };
          ws.on("message", onMessage);
          const msg =
            vsn === "2.0.0" ? [null, ref, "phoenix", "heartbeat", {}] : { topic: "phoenix", event: "heartbeat", payload: {}, ref };
          ws.send(JSON.stringify(msg));
        });
      await fc.assert(
        fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 5 }), async (frames) => {
          for (const f of frames) ws.send("binary" in f ? f.binary : f.text, { binary: "binary" in f });
          await heartbeat();
          expect(closeCode).toBeNull();
        }),
        { seed: SEED, numRuns: 60, verbose: true },
      );
      ws.close();
    }
    await gatewayStillUp();
  }, 60_000);
});
