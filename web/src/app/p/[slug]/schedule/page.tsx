import { NotBuilt } from "@/features/ui/not-built.tsx";

/** Schedule: not built yet. */
export default function SchedulePage() {
  return <NotBuilt title="Schedule" note="Schedule arrives in a later release: heartbeats and scheduled jobs with their run history." />;
}
