import type { ReactNode } from "react";
import { ProjectShell } from "@/features/shell/project-shell.tsx";

/** Every project page sits in the signed-in shell. */
export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <ProjectShell slug={slug}>{children}</ProjectShell>;
}
