import type { Metadata } from "next";
import { ActivityFeed } from "@/features/activity/activity-feed.tsx";

export const metadata: Metadata = { title: "Activity" };

/** Activity: the live project feed. */
export default function ActivityPage() {
  return <ActivityFeed />;
}
