import { TeamRoomView } from "@/features/team-room/team-room-view.tsx";

/** Team Room (labs). */
export default function TeamRoomPage() {
  return <TeamRoomView />;
}
