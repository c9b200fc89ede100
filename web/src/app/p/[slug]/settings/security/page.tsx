import type { Metadata } from "next";
import { SecuritySettings } from "@/features/security/security-settings.tsx";

export const metadata: Metadata = { title: "Security · Settings" };

/** Settings → Security: two-factor authentication and step-up approvals. */
export default function SecuritySettingsPage() {
  return <SecuritySettings />;
}
