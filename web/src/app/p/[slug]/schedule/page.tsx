import { ScheduleView } from "@/features/schedule/schedule-view.tsx";

/** Schedule: heartbeats and scheduled jobs with their run history. */
export default function SchedulePage() {
  return <ScheduleView />;
}
