import type { Page, WebSocketRoute } from "@playwright/test";

/**
 * Routes the page's realtime websocket through Playwright so a spec can cut it: `drop()` closes
 * every open socket and refuses reconnects until `restore()`.
 */
export async function controlRealtime(page: Page) {
  let blocked = false;
  const open = new Set<WebSocketRoute>();
  await page.routeWebSocket(/\/realtime\/v1\/websocket/, (ws) => {
    if (blocked) {
      void ws.close({ code: 4000, reason: "blocked by the test" });
      return;
    }
    ws.connectToServer();
    open.add(ws);
    ws.onClose(() => open.delete(ws));
  });
  return {
    connections: () => open.size,
    drop: async () => {
      blocked = true;
      await Promise.all([...open].map((ws) => ws.close({ code: 4000, reason: "dropped by the test" })));
      open.clear();
    },
    restore: () => {
      blocked = false;
    },
  };
}
