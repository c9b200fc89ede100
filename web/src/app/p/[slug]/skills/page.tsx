import { SkillsView } from "@/features/skills/skills-view.tsx";

/** Skills: what agents can do once it is set up, grouped Ready / Needs setup / Blocked, live. */
export default function SkillsPage() {
  return <SkillsView />;
}
