"use client";

import { usePathname } from "next/navigation";
import { PaletteButton } from "../command-palette/palette-button.tsx";
import { ConnectionBadge } from "../connection/connection-badge.tsx";
import { useProject } from "../projects/project-context.tsx";
import { ProjectPicker } from "../projects/project-picker.tsx";
import { ThemeToggle } from "../theme/theme-toggle.tsx";
import styles from "./app-shell.module.css";
import { MenuButton } from "./menu-button.tsx";
import { sectionTitleOf } from "./section-title.ts";
import { useSignOut } from "./use-sign-out.ts";

/**
 * The top bar: project name (or picker), the command palette's button, connection badge, who is
 * signed in, theme, sign-out. On a phone: the menu button, the page's name, the badge and the
 * palette's button; the rest is in the menu drawer.
 */
export function TopBar({
  slug,
  menuOpen,
  onOpenMenu,
  onOpenPalette,
}: {
  slug: string;
  menuOpen: boolean;
  onOpenMenu: () => void;
  onOpenPalette: () => void;
}) {
  const { project, session, role } = useProject();
  const pathname = usePathname();
  const signOut = useSignOut();
  return (
    <header className={styles.topBar}>
      <div className={styles.topLeft}>
        <MenuButton open={menuOpen} onOpen={onOpenMenu} />
        <span className={styles.pageName}>{sectionTitleOf(pathname)}</span>
        <span className={styles.wideOnly}>
          <ProjectPicker currentSlug={slug} currentName={project.name} className={styles.projectName} />
        </span>
      </div>
      <div className={styles.topRight}>
        <PaletteButton onOpen={onOpenPalette} />
        <ConnectionBadge />
        <span className={styles.user} title={role ? `Your role: ${role}` : undefined}>
          <span>{session.user.email}</span>
          {role ? <span className={styles.role}>{role}</span> : null}
        </span>
        <span className={styles.wideOnly}>
          <ThemeToggle />
          <button type="button" className="button small" onClick={signOut}>
            Sign out
          </button>
        </span>
      </div>
    </header>
  );
}
