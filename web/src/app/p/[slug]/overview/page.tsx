import type { Metadata } from "next";
import { OverviewView } from "@/features/overview/overview-view.tsx";

export const metadata: Metadata = { title: "Overview" };

/** Overview: the project's home page, meant to be left open (agents, queue, approvals, spend, the last hour). */
export default function OverviewPage() {
  return <OverviewView />;
}
