import type { Metadata } from "next";
import { AcceptInviteView } from "@/features/members/accept-invite-view.tsx";

export const metadata: Metadata = { title: "Accept invitation" };

/** Where an invitation mail's link lands: choose a password (new accounts), join, open the project. */
export default function AcceptInvitePage() {
  return <AcceptInviteView />;
}
