import type { TLabsFeatures } from "../labs/labs-features.ts";

/** One section of the sidebar; a labs section shows only while its flag is on in the project. */
export interface TSection {
  path: string;
  label: string;
  labs?: keyof TLabsFeatures;
}

/** The product's sections, in sidebar order. */
export const SECTIONS: readonly TSection[] = [
  { path: "overview", label: "Overview" },
  { path: "activity", label: "Activity" },
  { path: "tasks", label: "Tasks" },
  { path: "approvals", label: "Approvals" },
  { path: "team-room", label: "Team Room", labs: "team_room" },
  { path: "dms", label: "DMs", labs: "dms" },
  { path: "agents", label: "Agents" },
  { path: "runs", label: "Runs" },
  { path: "knowledge", label: "Knowledge" },
  { path: "skills", label: "Skills" },
  { path: "schedule", label: "Schedule" },
  { path: "usage", label: "Usage" },
  { path: "settings", label: "Settings" },
];
