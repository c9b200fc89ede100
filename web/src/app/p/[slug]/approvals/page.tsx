import { ApprovalsInbox } from "@/features/approvals/approvals-inbox.tsx";

/** Approvals: every pending proposal of the project. */
export default function ApprovalsPage() {
  return <ApprovalsInbox />;
}
