/** The settings pages, in tab order (paths relative to /p/[slug]/settings). */
export const SETTINGS_PAGES = [
  { path: "", label: "General" },
  { path: "/providers", label: "Providers" },
  { path: "/agent-defaults", label: "Agent defaults" },
  { path: "/runs", label: "Runs" },
  { path: "/members", label: "Members" },
  { path: "/security", label: "Security" },
] as const;
