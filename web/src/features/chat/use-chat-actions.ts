"use client";

import type { TChatDelivery, TChatMessage } from "@mission-control/shared/rows";
import { useMemo } from "react";
import { executeWithFallback, type TFallbackOutcome } from "../actions/execute-with-fallback.ts";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { notifyControlApi } from "../connection/notify-control-api.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { rerouteChatMessage } from "./reroute-chat-message.ts";
import { retryChatDelivery } from "./retry-chat-delivery.ts";
import { sendChatMessage } from "./send-chat-message.ts";

/** Chat actions of the current project, each through executeWithFallback. */
export interface TChatActions {
  send(input: {
    threadKey: string;
    content: string;
    messageId: string;
    targetAgentKeys?: string[];
  }): Promise<TFallbackOutcome<TChatMessage>>;
  retry(delivery: TChatDelivery): Promise<TFallbackOutcome<TChatDelivery>>;
  /** Sends a Team Room message to another agent instead (the previous agent's queued delivery is cancelled). */
  reroute(messageId: string, agentKey: string): Promise<TFallbackOutcome<TChatMessage>>;
}

/** Send, retry and re-route: write through the RPC, put the result in the store, then ask the executor to pick it up now. */
export function useChatActions(): TChatActions {
  const { project, client, session } = useProject();
  const { controlApiUrl } = useClientConfig();
  const accessToken = session.access_token;
  const store = useLiveStoreApi();
  return useMemo(() => {
    const deps = createFallbackDeps(store);
    const notify = (messageId: string) => notifyControlApi({ controlApiUrl, accessToken, messageId });
    return {
      send: (input) =>
        executeWithFallback(
          {
            write: async () => {
              const { message, deliveries } = await sendChatMessage(client, { projectId: project.id, ...input });
              store.getState().applyRows("project_chat_messages", [message]);
              store.getState().applyRows("chat_delivery_queue", deliveries);
              return message;
            },
            notify: (message) => notify(message.id),
          },
          deps,
        ),
      retry: (delivery) =>
        executeWithFallback(
          {
            write: async () => {
              const row = await retryChatDelivery(client, delivery.id);
              store.getState().applyRows("chat_delivery_queue", [row]);
              return row;
            },
            notify: (row) => notify(row.message_id),
          },
          deps,
        ),
      reroute: (messageId, agentKey) =>
        executeWithFallback(
          {
            write: async () => {
              const { message, deliveries } = await rerouteChatMessage(client, { messageId, agentKey });
              store.getState().applyRows("project_chat_messages", [message]);
              store.getState().applyRows("chat_delivery_queue", deliveries);
              return message;
            },
            notify: (message) => notify(message.id),
          },
          deps,
        ),
    };
  }, [client, project.id, controlApiUrl, accessToken, store]);
}
