"use client";

import type { TChangeset } from "@mission-control/shared/rows";
import { useEffect, useState } from "react";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import type { TCurrentFile } from "./choose-diff-sides.ts";
import { readChangesetCurrent } from "./read-changeset-current.ts";

/** The workspace's current files of a changeset under review, by path. */
export interface TChangesetCurrent {
  files: ReadonlyMap<string, TCurrentFile>;
  /** Why the workspace could not be checked (the executor is away), or null. */
  error: string | null;
  /** True once the executor answered. */
  checked: boolean;
}

const NONE: TChangesetCurrent = { files: new Map(), error: null, checked: false };

/**
 * While a changeset waits for review and the executor is Live, asks it for the files as they are
 * in the workspace now (again when the changeset changes or the connection comes back), so each
 * diff can say "changed since the proposal" and compare against the real file.
 */
export function useChangesetCurrent(changeset: Pick<TChangeset, "id" | "status" | "seq"> | undefined): TChangesetCurrent {
  const { session } = useProject();
  const { controlApiUrl } = useClientConfig();
  const mode = useLiveStore((s) => s.connection.mode);
  const [state, setState] = useState<TChangesetCurrent & { key: string }>({ ...NONE, key: "" });
  const accessToken = session.access_token;
  const wanted = changeset && changeset.status === "proposed" && mode === "live" ? `${changeset.id}:${changeset.seq}` : null;
  const changesetId = changeset?.id;

  useEffect(() => {
    if (!wanted || !changesetId) return;
    let live = true;
    readChangesetCurrent({ controlApiUrl, accessToken, changesetId })
      .then((answer) => {
        if (!live) return;
        const files = new Map((answer?.files ?? []).map((file) => [file.path, file]));
        setState({ key: wanted, files, error: null, checked: answer !== null });
      })
      .catch(
        (err) =>
          live && setState({ key: wanted, files: new Map(), error: err instanceof Error ? err.message : String(err), checked: false }),
      );
    return () => {
      live = false;
    };
  }, [wanted, changesetId, controlApiUrl, accessToken]);

  return wanted && state.key === wanted ? state : NONE;
}
