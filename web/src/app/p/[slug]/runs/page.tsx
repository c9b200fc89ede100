import type { Metadata } from "next";
import { RunsView } from "@/features/runs/runs-view.tsx";

export const metadata: Metadata = { title: "Runs" };

/** Runs (Agent HQ): every active and recent run across agents, live. */
export default function RunsPage() {
  return <RunsView />;
}
