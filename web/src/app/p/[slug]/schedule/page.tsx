import type { Metadata } from "next";
import { ScheduleView } from "@/features/schedule/schedule-view.tsx";

export const metadata: Metadata = { title: "Schedule" };

/** Schedule: heartbeats and scheduled jobs with their run history. */
export default function SchedulePage() {
  return <ScheduleView />;
}
