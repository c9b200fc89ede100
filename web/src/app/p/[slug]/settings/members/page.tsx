import type { Metadata } from "next";
import { MembersView } from "@/features/members/members-view.tsx";

export const metadata: Metadata = { title: "Members · Settings" };

/** Settings → Members: the project's members and roles, invitations (owners), and leaving. */
export default function MembersSettingsPage() {
  return <MembersView />;
}
