import type { Locator, Page } from "@playwright/test";
import type { TAdminClient } from "./admin-client.ts";

/** The conversation pane of one DM on the DMs page. */
export function dmPane(page: Page, agentName: string): Locator {
  return page.getByRole("region", { name: `DM with ${agentName}` });
}

/** Types a message in a pane's composer and presses Enter. */
export async function sendFrom(pane: Locator, text: string): Promise<void> {
  const box = pane.getByRole("textbox");
  await box.fill(text);
  await box.press("Enter");
}

/** The operator message with this text, in a pane. */
export function operatorMessage(pane: Locator, text: string): Locator {
  return pane.locator('[data-testid="chat-message"][data-author="user"]').filter({ hasText: text });
}

/** Agent replies in a pane. */
export function agentReplies(pane: Locator): Locator {
  return pane.locator('[data-testid="chat-message"][data-author="agent"]');
}

/** Polls the database until a delivery of `messageContent` reaches one of `statuses`; returns it. */
export async function waitForDelivery(
  admin: TAdminClient,
  projectId: string,
  messageContent: string,
  statuses: string[],
  timeoutMs = 15_000,
): Promise<{ id: string; status: string; attempts: number; message_id: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = "none";
  while (Date.now() < deadline) {
    const message = await admin
      .from("project_chat_messages")
      .select("id")
      .eq("project_id", projectId)
      .eq("content", messageContent)
      .maybeSingle();
    if (message.data) {
      const delivery = await admin
        .from("chat_delivery_queue")
        .select("id, status, attempts, message_id")
        .eq("message_id", message.data.id)
        .maybeSingle();
      if (delivery.data) {
        last = delivery.data.status;
        if (statuses.includes(delivery.data.status)) return delivery.data;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`the delivery of "${messageContent}" did not reach ${statuses.join("/")} in ${timeoutMs} ms (last: ${last})`);
}
