"use client";

import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { readSetting, type TLabsFeatures, ZLabsFeatures } from "./labs-features.ts";

/** The project's labs flags from the live store, following changes live; all off until the settings are loaded. */
export function useLabsFeatures(projectId: string): TLabsFeatures {
  const settings = useLiveStore((s) => s.rows.project_settings);
  return useMemo(() => readSetting(settings, projectId, "labs_features", ZLabsFeatures), [settings, projectId]);
}
