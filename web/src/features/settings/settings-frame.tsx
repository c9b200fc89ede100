"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useProject } from "../projects/project-context.tsx";
import shell from "../ui/page.module.css";
import { SETTINGS_PAGES } from "./settings-pages.ts";
import styles from "./settings-view.module.css";

/** The settings pages, in tab order (paths below /p/[slug]/settings). */
/** The frame of every settings page: the title, a tab per settings page, and the viewer's read-only note. */
export function SettingsFrame({ slug, children }: { slug: string; children: ReactNode }) {
  const pathname = usePathname();
  const { role } = useProject();
  const base = `/p/${slug}/settings`;
  return (
    <section className={styles.page}>
      <h1 className={shell.pageTitle}>Settings</h1>
      <nav aria-label="Settings sections">
        <ul className={styles.tabs}>
          {SETTINGS_PAGES.map((page) => {
            const href = `${base}${page.path}`;
            return (
              <li key={page.path}>
                <Link href={href} className={styles.tab} aria-current={pathname === href ? "page" : undefined}>
                  {page.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {role === "viewer" ? <p className="muted">You are a viewer in this project: settings are read-only.</p> : null}
      {children}
    </section>
  );
}
