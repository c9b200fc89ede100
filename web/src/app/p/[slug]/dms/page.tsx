import { DmsView } from "@/features/dms/dms-view.tsx";

/** Direct messages (labs). */
export default function DmsPage() {
  return <DmsView />;
}
