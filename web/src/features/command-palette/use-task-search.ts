"use client";

import { useEffect } from "react";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { parseLiveRows } from "../live/live-tables.ts";
import { useProject } from "../projects/project-context.tsx";
import { likeLiteral } from "./like-literal.ts";

/** Typing settles this long before the database is searched. */
const SEARCH_AFTER_MS = 200;
const MATCHES = 20;

/**
 * Finds tasks whose title contains what the palette's search says (two characters or more) in the
 * database and adds them to the live store, so the palette can jump to any task, not only the
 * latest ones the store holds. A failed search leaves the palette as it was.
 */
export function useTaskSearch(search: string): void {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  const text = search.trim();

  useEffect(() => {
    if (text.length < 2) return;
    let live = true;
    const timer = setTimeout(() => {
      void client
        .from("tasks")
        .select("*")
        .eq("project_id", project.id)
        .ilike("title", `%${likeLiteral(text)}%`)
        .order("seq", { ascending: false })
        .limit(MATCHES)
        .then(({ data, error }) => {
          if (live && !error) store.getState().applyRows("tasks", parseLiveRows("tasks", data ?? []));
        });
    }, SEARCH_AFTER_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, store, project.id, text]);
}
