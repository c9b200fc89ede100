import type { Metadata } from "next";
import { ApprovalsInbox } from "@/features/approvals/approvals-inbox.tsx";

export const metadata: Metadata = { title: "Approvals" };

/** Approvals: every pending proposal of the project. */
export default function ApprovalsPage() {
  return <ApprovalsInbox />;
}
