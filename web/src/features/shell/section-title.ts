import { SECTIONS } from "./sections.ts";

/** The name of the section a project page belongs to ("Tasks" for /p/x/tasks/…), for the phone top bar. */
export function sectionTitleOf(pathname: string): string {
  const path = pathname.split("/")[3] ?? "";
  return SECTIONS.find((section) => section.path === path)?.label ?? "Mission Control";
}
