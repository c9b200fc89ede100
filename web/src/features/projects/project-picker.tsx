"use client";

import { usePathname, useRouter } from "next/navigation";
import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";

/** The project's name, or a select of the user's projects when there is more than one (keeps the current section). */
export function ProjectPicker({ currentSlug, currentName, className }: { currentSlug: string; currentName: string; className?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const projectsById = useLiveStore((s) => s.rows.projects);
  const projects = useMemo(() => Object.values(projectsById).sort((a, b) => a.name.localeCompare(b.name)), [projectsById]);
  if (projects.length < 2) return <span className={className}>{currentName}</span>;
  const section = pathname.split("/")[3] ?? "activity";
  return (
    <label>
      <span className="visually-hidden">Project</span>
      <select className={className} value={currentSlug} onChange={(e) => router.push(`/p/${e.target.value}/${section}`)}>
        {projects.map((p) => (
          <option key={p.id} value={p.slug}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
