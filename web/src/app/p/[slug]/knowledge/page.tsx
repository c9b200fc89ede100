import type { Metadata } from "next";
import { Suspense } from "react";
import { KnowledgeView } from "@/features/knowledge/knowledge-view.tsx";

export const metadata: Metadata = { title: "Knowledge" };

/** Knowledge: the project's and each agent's brain docs, with versions and diffs. */
export default function KnowledgePage() {
  // The open doc is in the query string (?doc=…), read on the client.
  return (
    <Suspense fallback={<p className="muted">Loading docs…</p>}>
      <KnowledgeView />
    </Suspense>
  );
}
