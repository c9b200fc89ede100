import http from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake server answers to its n-th request (n counts from 1). */
export type TFakeAnswer = { status: number; content?: string; error?: string; delayMs?: number };

/** A /chat/completions request body as the fake received it. */
export type TFakeOpenAiRequest = {
  model?: string;
  messages?: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
};

/** A local server speaking OpenAI's /chat/completions (non-streamed), scripted per request. */
export type TFakeOpenAi = {
  /** Base URL including /v1. */
  url: string;
  /** Requests received so far. */
  readonly requests: number;
  /** The JSON bodies received, in order (model, messages, temperature, max_tokens…). */
  readonly bodies: readonly TFakeOpenAiRequest[];
  close(): Promise<void>;
};

/** Starts a fake OpenAI-compatible server on a free port; `answer(n)` decides each reply. */
export async function startFakeOpenAi(answer: (n: number) => TFakeAnswer): Promise<TFakeOpenAi> {
  let requests = 0;
  const bodies: TFakeOpenAiRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests += 1;
      const reply = answer(requests);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as TFakeOpenAiRequest;
      bodies.push(body);
      const send = () => {
        if (reply.status !== 200) {
          res.writeHead(reply.status, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: reply.error ?? `fake failure ${requests}`, type: "server_error" } }));
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${requests}`,
            object: "chat.completion",
            created: Math.floor(Date.now() / 1000),
            model: body.model ?? "fake-model",
            choices: [
              { index: 0, message: { role: "assistant", content: reply.content ?? "Hello from the fake model." }, finish_reason: "stop" },
            ],
            usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
          }),
        );
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    bodies,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
