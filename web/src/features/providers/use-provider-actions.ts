"use client";

import type { TTestProviderAnswer } from "@mission-control/shared/control-api";
import type { TProviderConnection as TProviderConnectionRow } from "@mission-control/shared/rows";
import type { TProviderConnection } from "@mission-control/shared/schemas";
import { useMemo } from "react";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { recheckConnection } from "../connection/connection-monitor.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { deleteProviderConnection } from "./delete-provider-connection.ts";
import { readProviderConnection } from "./read-provider-connection.ts";
import { runWrite } from "./run-write.ts";
import { saveProviderConnection } from "./save-provider-connection.ts";
import { setProviderKey } from "./set-provider-key.ts";
import { testProviderConnection } from "./test-provider-connection.ts";

/** What Settings → Providers can do with a connection. */
export interface TProviderActions {
  save(input: { id?: string; connection: TProviderConnection }): Promise<TProviderConnectionRow>;
  remove(input: { id: string; usedBy: readonly string[] }): Promise<void>;
  setKey(input: { id: string; apiKey: string | null }): Promise<string | null>;
  test(id: string): Promise<TTestProviderAnswer>;
}

/**
 * Provider connection actions of the current project. Rows are written through RLS with
 * executeWithFallback (runWrite; nothing to notify: the executor reads connections when it runs an agent);
 * keys and tests go to the Control API with the operator's access token, since only the executor
 * holds the key-encryption key.
 */
export function useProviderActions(): TProviderActions {
  const { project, client, session } = useProject();
  const { controlApiUrl } = useClientConfig();
  const accessToken = session.access_token;
  const store = useLiveStoreApi();
  return useMemo(() => {
    const deps = createFallbackDeps(store);
    const refresh = async (id: string) => {
      const row = await readProviderConnection(client, id);
      if (row) store.getState().applyRows("provider_connections", [row]);
    };
    const onControlApiError = (err: unknown) => {
      recheckConnection();
      throw err;
    };
    return {
      async save({ id, connection }) {
        const result = await runWrite(() => saveProviderConnection(client, { projectId: project.id, id, connection }), deps);
        store.getState().applyRows("provider_connections", [result]);
        return result;
      },
      async remove({ id, usedBy }) {
        await runWrite(() => deleteProviderConnection(client, { projectId: project.id, id, usedBy }), deps);
        store.getState().removeRows("provider_connections", [id]);
      },
      async setKey({ id, apiKey }) {
        const answer = await setProviderKey({ controlApiUrl, accessToken, connectionId: id, apiKey }).catch(onControlApiError);
        await refresh(id);
        return answer.key_last4;
      },
      test: (id) => testProviderConnection({ controlApiUrl, accessToken, connectionId: id }).catch(onControlApiError),
    };
  }, [client, project.id, controlApiUrl, accessToken, store]);
}
