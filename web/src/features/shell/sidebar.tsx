"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import approvalStyles from "../approvals/approvals.module.css";
import { usePendingProposals } from "../approvals/use-pending-proposals.ts";
import { useLabsFeatures } from "../labs/use-labs-features.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { isActiveRun } from "../runs/active-run-statuses.ts";
import runStyles from "../runs/runs.module.css";
import styles from "./app-shell.module.css";
import { SECTIONS } from "./sections.ts";

/**
 * The sidebar (on a phone, inside the menu drawer): one link per section; the current one is marked for screen readers too. Labs
 * sections whose flag is off are left out (their pages still explain how to turn them on).
 */
export function Sidebar({ slug, inDrawer = false }: { slug: string; inDrawer?: boolean }) {
  const pathname = usePathname();
  const { project } = useProject();
  const pending = usePendingProposals(project.id).length;
  const labs = useLabsFeatures(project.id);
  const activeRuns = useLiveStore((s) => Object.values(s.rows.ai_runs).filter((r) => r.project_id === project.id && isActiveRun(r)).length);
  return (
    <nav className={inDrawer ? styles.drawerNav : styles.sidebar} aria-label="Sections">
      {/* The phone menu drawer has its own header with the brand. */}
      {inDrawer ? null : (
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden="true" />
          Mission Control
        </div>
      )}
      <ul className={styles.nav}>
        {SECTIONS.filter((section) => !section.labs || labs[section.labs]).map((section) => {
          const href = `/p/${slug}/${section.path}`;
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={section.path}>
              {/* No prefetch: ten pages rendered on the server while the current one loads slowed its first rows; a click fetches its page at once. */}
              <Link href={href} prefetch={false} className={styles.navLink} aria-current={current ? "page" : undefined}>
                {section.label}
                {section.path === "approvals" && pending > 0 ? (
                  <span className={approvalStyles.countBadge} data-testid="approvals-count" title={`${pending} waiting for a decision`}>
                    {pending}
                  </span>
                ) : null}
                {section.path === "runs" && activeRuns > 0 ? (
                  <span className={runStyles.navCount} data-testid="active-runs-badge" title={`${activeRuns} active`}>
                    {activeRuns}
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
