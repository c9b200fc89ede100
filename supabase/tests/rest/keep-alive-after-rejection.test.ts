import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { stackInfo } from "../../testing/stack-clients.ts";

// A rejected request must not poison its keep-alive connection: whether the gateway refused the
// body half-way (too large), after reading it (too many rows, nested too deep) or before reading it
// (unknown table), the next request on the same socket is answered at once.

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
afterAll(() => agent.destroy());

interface TAnswer {
  status: number;
  body: string;
  socketId: number;
}

let nextSocketId = 1;
const socketIds = new WeakMap<object, number>();

/** One request through the single keep-alive socket; fails after `timeoutMs` instead of hanging. */
function send(method: string, path: string, body?: string | Buffer, timeoutMs = 10_000): Promise<TAnswer> {
  const { url, serviceRoleKey } = stackInfo();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      {
        method,
        agent,
        headers: {
          apikey: serviceRoleKey,
          authorization: `Bearer ${serviceRoleKey}`,
          "content-type": "application/json",
          ...(body !== undefined ? { "content-length": Buffer.byteLength(body).toString() } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const socket = req.socket as object;
          if (!socketIds.has(socket)) socketIds.set(socket, nextSocketId++);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), socketId: socketIds.get(socket) ?? 0 });
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

const nested = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;
const manyRows = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ title: `row ${i}`, n: i })));

describe("keep-alive connections after a rejected request", () => {
  it.each([
    ["a 10 MB body", "POST", "/rest/v1/tasks", Buffer.alloc(10 * 1024 * 1024, 0x20), 413],
    ["a 20,000-row array into a table that does not exist", "POST", "/rest/v1/no_such_table", manyRows, 404],
    ["a 20,000-row array with unknown columns", "POST", "/rest/v1/tasks", manyRows, 400],
    ["a body nested 100,000 levels deep", "POST", "/rest/v1/rpc/action_params_hash", `{"params":${nested(100_000)}}`, 400],
    ["a 10 MB body to auth", "POST", "/auth/v1/token?grant_type=password", Buffer.alloc(10 * 1024 * 1024, 0x20), 413],
  ] as const)("answers %s, then the next requests on the same socket", async (_what, method, path, body, status) => {
    const rejected = await send(method, path, body);
    expect(rejected.status, rejected.body.slice(0, 300)).toBe(status);
    for (let i = 0; i < 3; i += 1) {
      const next = await send("GET", "/rest/v1/projects?select=id&limit=1");
      expect(next.status, next.body.slice(0, 300)).toBe(200);
    }
  });
});
