"use client";

import { Command } from "cmdk";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { usePendingProposals } from "../approvals/use-pending-proposals.ts";
import { recheckConnection } from "../connection/connection-monitor.ts";
import { useLabsFeatures } from "../labs/use-labs-features.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useSignOut } from "../shell/use-sign-out.ts";
import { setThemePreference } from "../theme/theme-preference.ts";
import { useTheme, useThemePreference } from "../theme/use-theme-preference.ts";
import styles from "./command-palette.module.css";
import { paletteEntries, type TPaletteRun } from "./palette-entries.ts";
import { useTaskSearch } from "./use-task-search.ts";

/**
 * Ctrl/⌘-K: one box to jump to any page, agent, thread or task of the project (from the live
 * store, so it is current) and to run the common actions. A modal dialog holding a combobox and its
 * listbox (cmdk on a Radix dialog): arrows move, Enter chooses, Escape closes, focus returns.
 */
export function CommandPalette({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  // Focus goes back where it was (the button, a field) on close: the dialog has no Radix trigger to return to.
  const returnTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      return;
    }
    const target = returnTo.current;
    returnTo.current = null;
    if (!target) return;
    // After the dialog's own focus handling on unmount.
    const timer = window.setTimeout(() => {
      if (target.isConnected && (document.activeElement === document.body || document.activeElement === null)) target.focus();
    }, 0);
    return () => window.clearTimeout(timer);
  }, [open]);
  return (
    <Command.Dialog
      open={open}
      onOpenChange={onOpenChange}
      label="Command palette"
      overlayClassName={styles.overlay}
      contentClassName={styles.content}
      className={styles.palette}
      loop
    >
      {/* Mounted only while open: the entries are built from the live store when asked for. */}
      {open ? <PaletteBody onDone={() => onOpenChange(false)} /> : null}
    </Command.Dialog>
  );
}

function PaletteBody({ onDone }: { onDone: () => void }) {
  const { project, canWrite } = useProject();
  const router = useRouter();
  const signOut = useSignOut();
  const labs = useLabsFeatures(project.id);
  const pending = usePendingProposals(project.id).length;
  const theme = useTheme();
  const themePreference = useThemePreference();
  const agentRows = useLiveStore((s) => s.rows.agents);
  const taskRows = useLiveStore((s) => s.rows.tasks);
  const threadRows = useLiveStore((s) => s.rows.project_chat_threads);
  const [search, setSearch] = useState("");
  useTaskSearch(search);

  const groups = useMemo(
    () =>
      paletteEntries({
        slug: project.slug,
        canWrite,
        labs,
        pendingApprovals: pending,
        theme,
        themePreference,
        agents: Object.values(agentRows)
          .filter((a) => a.project_id === project.id)
          .sort((a, b) => a.display_name.localeCompare(b.display_name)),
        tasks: Object.values(taskRows).filter((t) => t.project_id === project.id),
        threads: Object.values(threadRows).filter((t) => t.project_id === project.id),
      }),
    [project, canWrite, labs, pending, theme, themePreference, agentRows, taskRows, threadRows],
  );

  const run = (what: TPaletteRun) => {
    onDone();
    switch (what.kind) {
      case "go":
        router.push(what.href);
        return;
      case "theme":
        setThemePreference(what.to);
        return;
      case "recheck-connection":
        recheckConnection();
        return;
      case "sign-out":
        void signOut();
        return;
    }
  };

  return (
    <>
      <div className={styles.inputRow}>
        <Command.Input
          className={styles.input}
          value={search}
          onValueChange={setSearch}
          placeholder="Search pages, agents, tasks and actions…"
        />
        <span className={styles.esc} aria-hidden="true">
          Esc
        </span>
      </div>
      <Command.List className={styles.list} label="Results">
        <Command.Empty className={styles.empty}>
          Nothing matches “{search}”. Try a page name, an agent or words from a task title.
        </Command.Empty>
        {groups.map((group) => (
          <Command.Group key={group.heading} heading={group.heading} className={styles.group}>
            {group.entries.map((entry) => (
              <Command.Item
                key={entry.value}
                value={entry.value}
                keywords={entry.keywords}
                className={styles.item}
                onSelect={() => run(entry.run)}
              >
                <span className={styles.label}>{entry.label}</span>
                {entry.hint ? <span className={styles.hint}>{entry.hint}</span> : null}
              </Command.Item>
            ))}
          </Command.Group>
        ))}
      </Command.List>
      <p className={styles.footer} aria-hidden="true">
        ↑↓ move · Enter choose · Esc close
      </p>
    </>
  );
}
