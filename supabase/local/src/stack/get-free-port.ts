import net from "node:net";

/** Ports this process has handed out: the OS may offer a port again once its probe closed. */
const handedOut = new Set<number>();

/**
 * Asks the OS for a free TCP port on 127.0.0.1, never one this process handed out before: a caller
 * that asks for two ports before it listens on the first (a dashboard and an executor's Control API)
 * would otherwise sometimes get the same one twice.
 */
export async function getFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await probeFreePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error("The OS offered only ports this process already handed out: free some ports, then try again");
}

function probeFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
