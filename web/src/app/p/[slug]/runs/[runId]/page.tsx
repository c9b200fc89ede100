import type { Metadata } from "next";
import { RunPage } from "@/features/runs/run-page.tsx";

export const metadata: Metadata = { title: "Run" };

/** One run: its header, its timeline grouped by agent, and its changeset with the review. */
export default async function RunIdPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return <RunPage runId={runId} />;
}
