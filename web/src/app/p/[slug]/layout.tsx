import type { Metadata } from "next";
import type { ReactNode } from "react";
import { LiveStoreProvider } from "@/features/live/live-store-provider.tsx";
import { preloadProject } from "@/features/live/preload-project.ts";
import { ProjectShell } from "@/features/shell/project-shell.tsx";
import { ClockProvider } from "@/features/ui/clock.tsx";

/**
 * Tab titles read "<page> · <project> · Mission Control". The project is named by its slug: the
 * title is decided before the page's rows are read, and RLS shows project names only to members.
 */
export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  return { title: { template: `%s · ${slug} · Mission Control`, default: `${slug} · Mission Control` } };
}

/**
 * Every project page sits in the signed-in shell. When the browser sent its session cookie the
 * server reads the project's rows as that user first (preload-project.ts) and renders the page
 * with them, in the reader's clock; otherwise the page renders in the browser once it has read them.
 */
export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const preload = await preloadProject(slug);
  return (
    <ClockProvider clock={preload ? { ...preload.clock, renderedAt: preload.renderedAt } : {}}>
      <LiveStoreProvider seed={preload?.seed}>
        <ProjectShell slug={slug} initialSession={preload?.session ?? null}>
          {children}
        </ProjectShell>
      </LiveStoreProvider>
    </ClockProvider>
  );
}
