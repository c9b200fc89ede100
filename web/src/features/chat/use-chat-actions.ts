"use client";

import { useMemo } from "react";
import { executeWithFallback, type TFallbackOutcome } from "../actions/execute-with-fallback.ts";
import { appFallbackDeps } from "../actions/fallback-deps.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { notifyControlApi } from "../connection/notify-control-api.ts";
import type { TChatDelivery, TChatMessage } from "../live/live-rows.ts";
import { liveStore } from "../live/live-store.ts";
import { useProject } from "../projects/project-context.tsx";
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
}

/** Send and retry: write through the RPC, put the result in the store, then ask the executor to pick it up now. */
export function useChatActions(): TChatActions {
  const { project, client, session } = useProject();
  const { controlApiUrl } = useClientConfig();
  const accessToken = session.access_token;
  return useMemo(() => {
    const notify = (messageId: string) => notifyControlApi({ controlApiUrl, accessToken, messageId });
    return {
      send: (input) =>
        executeWithFallback(
          {
            write: async () => {
              const { message, deliveries } = await sendChatMessage(client, { projectId: project.id, ...input });
              liveStore.getState().applyRows("project_chat_messages", [message]);
              liveStore.getState().applyRows("chat_delivery_queue", deliveries);
              return message;
            },
            notify: (message) => notify(message.id),
          },
          appFallbackDeps,
        ),
      retry: (delivery) =>
        executeWithFallback(
          {
            write: async () => {
              const row = await retryChatDelivery(client, delivery.id);
              liveStore.getState().applyRows("chat_delivery_queue", [row]);
              return row;
            },
            notify: (row) => notify(row.message_id),
          },
          appFallbackDeps,
        ),
    };
  }, [client, project.id, controlApiUrl, accessToken]);
}
