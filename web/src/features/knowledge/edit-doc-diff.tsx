"use client";

import type { TProposal } from "@mission-control/shared/rows";
import { ZEditDocParams } from "@mission-control/shared/schemas";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useElementWidth } from "../ui/use-element-width.ts";
import { SPLIT_FROM_PX } from "./doc-editor.tsx";
import styles from "./knowledge.module.css";
import { readOneDoc } from "./read-brain-docs.ts";
import { readEditDocDiff } from "./read-edit-doc-diff.ts";

// The diff viewer measures the DOM: render it in the browser only.
const DocDiff = dynamic(() => import("./doc-diff.tsx"), { ssr: false, loading: () => <p className="muted">Loading the diff…</p> });

/**
 * An edit_doc proposal as a diff: before it runs, the doc's current version (live) against the
 * proposed text; once executed, the text it replaced against the text it wrote. Null when the
 * params are not a valid edit_doc (the card then shows them raw).
 */
export function EditDocDiff({ proposal }: { proposal: TProposal }) {
  const { client, project } = useProject();
  const store = useLiveStoreApi();
  const rows = useLiveStore((s) => s.rows.brain_docs);
  const ref = useRef<HTMLDivElement>(null);
  const split = useElementWidth(ref) >= SPLIT_FROM_PX;
  const [error, setError] = useState<string | null>(null);
  const parsed = ZEditDocParams.safeParse(proposal.params);
  const agentKey = parsed.success ? (parsed.data.agent_key ?? null) : null;
  const docType = parsed.success ? parsed.data.doc_type : "";

  // Only the mission is in the store after a reload: read the doc once, realtime keeps it live.
  useEffect(() => {
    if (!docType) return;
    let live = true;
    readOneDoc(client, proposal.project_id, agentKey, docType)
      .then((doc) => {
        if (doc) store.getState().applyRows("brain_docs", [doc]);
      })
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [client, store, proposal.project_id, agentKey, docType]);

  const current = useMemo(
    () => Object.values(rows).find((d) => d.project_id === proposal.project_id && d.agent_key === agentKey && d.doc_type === docType),
    [rows, proposal.project_id, agentKey, docType],
  );
  const diff = readEditDocDiff(proposal, current ?? null);
  if (!diff) return null;
  const { params } = diff;
  const owner = agentKey ? `@${agentKey}'s` : "the project's";

  return (
    <div ref={ref} className={styles.proposalDiff} data-testid="edit-doc-diff">
      <p className={styles.hint}>
        Replaces {owner} <span className={styles.itemType}>{docType}</span> doc
        {params.title !== undefined && params.title !== (current?.title ?? "") ? ` and its title with “${params.title}”` : ""}.{" "}
        {current ? <Link href={`/p/${project.slug}/knowledge?doc=${current.id}`}>Open it in Knowledge</Link> : null}
      </p>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      <DocDiff oldValue={diff.oldValue} newValue={diff.newValue} oldTitle={diff.oldTitle} newTitle={diff.newTitle} split={split} />
    </div>
  );
}
