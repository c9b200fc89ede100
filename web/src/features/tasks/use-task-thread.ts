"use client";

import type { TTask } from "@mission-control/shared/rows";
import { useEffect, useMemo, useState } from "react";
import { createSupabaseLiveReader } from "../live/live-reader.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { readCatchUp } from "../live/plan-catch-up-reads.ts";
import { useProject } from "../projects/project-context.tsx";
import { mergeTaskThread, type TLegacyComment, type TLegacyOutput, type TThreadItem } from "./merge-task-thread.ts";
import { readLegacyTaskNotes } from "./task-writes.ts";

/**
 * A task's thread, live: marks the thread as open (so every catch-up re-reads its timeline), reads
 * the timeline and the legacy comments / outputs now and after each catch-up, and merges them with
 * the task's proposals from the store.
 */
export function useTaskThread(task: TTask | undefined, taskId: string): { items: TThreadItem[]; error: string | null } {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  const events = useLiveStore((s) => s.rows.task_events);
  const proposals = useLiveStore((s) => s.rows.action_proposals);
  const catchUps = useLiveStore((s) => s.realtime.catchUps);
  const [legacy, setLegacy] = useState<{ comments: TLegacyComment[]; outputs: TLegacyOutput[] }>({ comments: [], outputs: [] });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => store.getState().watch("task", taskId), [store, taskId]);

  // Re-read after every catch-up (catchUps is the trigger).
  useEffect(() => {
    let cancelled = false;
    // The same reads as catch-up makes for an open task thread.
    const timeline = readCatchUp(createSupabaseLiveReader(client), "task_events", {
      projectId: project.id,
      rows: store.getState().rows,
      watched: { task: [taskId], run: [], changeset: [] },
    });
    Promise.all([timeline, readLegacyTaskNotes(client, taskId)])
      .then(([rows, notes]) => {
        if (cancelled) return;
        store.getState().applyRows("task_events", rows);
        setLegacy(notes);
        setError(null);
      })
      .catch((err) => {
        if (!cancelled) setError(`Could not read the thread: ${err instanceof Error ? err.message : String(err)}`);
      });
    return () => {
      cancelled = true;
    };
  }, [client, store, project.id, taskId, catchUps]);

  const items = useMemo(() => {
    if (!task) return [];
    return mergeTaskThread({
      task,
      events: Object.values(events).filter((e) => e.task_id === taskId),
      proposals: Object.values(proposals).filter((p) => p.task_id === taskId),
      legacyComments: legacy.comments,
      legacyOutputs: legacy.outputs,
    });
  }, [task, taskId, events, proposals, legacy]);
  return { items, error };
}
