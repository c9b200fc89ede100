import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ProjectShell } from "@/features/shell/project-shell.tsx";

/**
 * Tab titles read "<page> · <project> · Mission Control". The project is named by its slug: the
 * server has no session (it lives in the browser), and RLS shows project names only to members.
 */
export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  return { title: { template: `%s · ${slug} · Mission Control`, default: `${slug} · Mission Control` } };
}

/** Every project page sits in the signed-in shell. */
export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <ProjectShell slug={slug}>{children}</ProjectShell>;
}
