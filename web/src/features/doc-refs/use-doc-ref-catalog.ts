"use client";

import { useEffect, useMemo, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import type { TDocRefTarget } from "./parse-doc-refs.ts";

/**
 * The docs a composer can reference: read once (without their text, which can be long) when the
 * composer mounts, then kept current from the live store (brain_docs changes arrive by realtime,
 * and the Knowledge page puts every doc there). A doc deleted since stays offered until the next
 * mount; the database resolves references when the message is sent, so it is never stored.
 */
export function useDocRefCatalog(): TDocRefTarget[] {
  const { project, client } = useProject();
  const [read, setRead] = useState<TDocRefTarget[]>([]);
  const live = useLiveStore((s) => s.rows.brain_docs);

  useEffect(() => {
    let current = true;
    void client
      .from("brain_docs")
      .select("id,agent_key,doc_type,title")
      .eq("project_id", project.id)
      .then(({ data }) => {
        if (current && data) setRead(data as TDocRefTarget[]);
      });
    return () => {
      current = false;
    };
  }, [client, project.id]);

  return useMemo(() => {
    const byId = new Map<string, TDocRefTarget>(read.map((doc) => [doc.id, doc]));
    for (const doc of Object.values(live)) {
      if (doc.project_id === project.id)
        byId.set(doc.id, { id: doc.id, agent_key: doc.agent_key, doc_type: doc.doc_type, title: doc.title });
    }
    return [...byId.values()];
  }, [read, live, project.id]);
}
