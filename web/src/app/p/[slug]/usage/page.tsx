import { UsageView } from "@/features/usage/usage-view.tsx";

/** Usage: tokens and spend per day, budgets and model prices. */
export default function UsagePage() {
  return <UsageView />;
}
