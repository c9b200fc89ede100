import net from "node:net";

/** Fails with a clear message when `host:port` is already taken by another process. */
export async function assertPortFree(host: string, port: number, what: string, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") {
        reject(
          new Error(
            `Port ${port} on ${host} is already in use, so ${what} cannot start. Stop the other process (is another \`pnpm stack\` running?) or choose another port with ${variable}=<port>.`,
          ),
        );
      } else reject(err);
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
