import { ActivityFeed } from "@/features/activity/activity-feed.tsx";

/** Activity: the live project feed. */
export default function ActivityPage() {
  return <ActivityFeed />;
}
