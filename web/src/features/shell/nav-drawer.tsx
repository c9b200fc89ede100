"use client";

import { usePathname } from "next/navigation";
import { type MouseEvent, useEffect, useRef } from "react";
import { useProject } from "../projects/project-context.tsx";
import { ProjectPicker } from "../projects/project-picker.tsx";
import { ThemeToggle } from "../theme/theme-toggle.tsx";
import { trapTabKey } from "./focus-trap.ts";
import styles from "./nav-drawer.module.css";
import { Sidebar } from "./sidebar.tsx";
import { useSignOut } from "./use-sign-out.ts";

/**
 * The sidebar on a phone: a modal <dialog> sliding in from the left, opened by the top bar's menu
 * button. The page behind is inert while it is open; Tab stays inside; Escape, the backdrop, the
 * Close button and following a link close it, and focus returns to the menu button.
 */
export function NavDrawer({ slug, open, onClose }: { slug: string; open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const pathname = usePathname();
  const { project, session, role } = useProject();
  const signOut = useSignOut();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // Start on the page you are on, so Enter or a tap elsewhere is one move away.
      dialog.querySelector<HTMLElement>('[aria-current="page"]')?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  // Following a link closes the drawer (a link to the page you are on too: see onClick).
  useEffect(() => {
    onCloseRef.current();
  }, [pathname]);

  const onClick = (event: MouseEvent<HTMLDialogElement>) => {
    // The dialog itself is only hit outside its panel: a click on the backdrop.
    if (event.target === event.currentTarget) onClose();
    else if ((event.target as HTMLElement).closest("a[href]")) onClose();
  };

  return (
    // The backdrop click has Escape as its keyboard twin (native to <dialog>).
    <dialog
      ref={ref}
      className={styles.drawer}
      aria-label="Menu"
      data-testid="nav-drawer"
      onClose={onClose}
      onClick={onClick}
      onKeyDown={trapTabKey}
    >
      {open ? (
        <div className={styles.panel}>
          <div className={styles.head}>
            <span className={styles.brand}>
              <span className={styles.logo} aria-hidden="true" />
              Mission Control
            </span>
            <button type="button" className="button small" onClick={onClose} aria-label="Close the menu">
              Close
            </button>
          </div>
          <div className={styles.project}>
            <ProjectPicker currentSlug={slug} currentName={project.name} className={styles.projectName} />
          </div>
          <Sidebar slug={slug} inDrawer />
          <div className={styles.foot}>
            <span className={styles.user}>
              <span className={styles.email}>{session.user.email}</span>
              {role ? <span className={styles.role}>{role}</span> : null}
            </span>
            <div className={styles.footRow}>
              <ThemeToggle />
              <button type="button" className="button small" onClick={signOut}>
                Sign out
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
