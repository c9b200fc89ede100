import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A local HTTP server that counts requests and answers (or hangs) as told. */
export type TRecordingServer = {
  /** http://127.0.0.1:<port> */
  url: string;
  readonly requests: { method: string; path: string; body: string }[];
  close(): Promise<void>;
};

/** Starts the server on a free port; `answer` null means never answer (a hanging upstream). */
export async function startRecordingServer(answer: { status: number; body: string } | null): Promise<TRecordingServer> {
  const requests: { method: string; path: string; body: string }[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", path: req.url ?? "", body: Buffer.concat(chunks).toString("utf8") });
      if (!answer) return;
      res.writeHead(answer.status, { "content-type": "text/plain" });
      res.end(answer.body);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
