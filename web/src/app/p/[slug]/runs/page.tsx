import { RunsView } from "@/features/runs/runs-view.tsx";

/** Runs (Agent HQ): every active and recent run across agents, live. */
export default function RunsPage() {
  return <RunsView />;
}
