import { notifyExecutor } from "./notify-executor.ts";

/**
 * Asks the executor's Control API to pick up a message's deliveries now
 * (`POST /api/chat/deliver {message_id}`, authenticated with the user's Supabase access token).
 * The message is already in the database: a failure here only delays pickup.
 */
export async function notifyControlApi(options: {
  controlApiUrl: string;
  accessToken: string;
  messageId: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<void> {
  const queued = "the message is queued and will run when the executor is back.";
  await notifyExecutor(
    {
      controlApiUrl: options.controlApiUrl,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? 4000,
      whenRefused: queued,
      whenUnreachable: queued,
    },
    (client) => client.deliver({ accessToken: options.accessToken, messageId: options.messageId }),
  );
}
