import type { Metadata } from "next";
import { UsageView } from "@/features/usage/usage-view.tsx";

export const metadata: Metadata = { title: "Usage" };

/** Usage: tokens and spend per day, budgets and model prices. */
export default function UsagePage() {
  return <UsageView />;
}
