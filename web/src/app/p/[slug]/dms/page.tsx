import type { Metadata } from "next";
import { DmsView } from "@/features/dms/dms-view.tsx";

export const metadata: Metadata = { title: "DMs" };

/** Direct messages (labs). */
export default function DmsPage() {
  return <DmsView />;
}
