import type { Metadata } from "next";
import { SkillsView } from "@/features/skills/skills-view.tsx";

export const metadata: Metadata = { title: "Skills" };

/** Skills: what agents can do once it is set up, grouped Ready / Needs setup / Blocked, live. */
export default function SkillsPage() {
  return <SkillsView />;
}
