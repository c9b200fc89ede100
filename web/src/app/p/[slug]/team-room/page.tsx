import type { Metadata } from "next";
import { TeamRoomView } from "@/features/team-room/team-room-view.tsx";

export const metadata: Metadata = { title: "Team Room" };

/** Team Room (labs). */
export default function TeamRoomPage() {
  return <TeamRoomView />;
}
