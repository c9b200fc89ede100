import type { TRealtimeTable } from "./realtime-tables.ts";

/** A table as `pg_publication_tables` names it. */
export interface TPublishedTable {
  schema: string;
  table: string;
}

/** What differs between the registry and the publication; both empty means they agree. */
export interface TPublicationDrift {
  /** In the registry (clients subscribe to it) but not published: subscribers would hear nothing. */
  missingFromPublication: string[];
  /** Published but not in the registry: nobody declared a subscription, so nothing verifies it. */
  notInRegistry: string[];
}

const key = (t: TPublishedTable) => `${t.schema}.${t.table}`;

/** Compares the realtime registry with the tables actually in the publication. */
export function diffPublication(
  registry: readonly TRealtimeTable[] | readonly TPublishedTable[],
  published: readonly TPublishedTable[],
): TPublicationDrift {
  const want = new Set(registry.map(key));
  const have = new Set(published.map(key));
  return {
    missingFromPublication: [...want].filter((t) => !have.has(t)).sort(),
    notInRegistry: [...have].filter((t) => !want.has(t)).sort(),
  };
}

/** True when the drift lists nothing. */
export function hasNoDrift(drift: TPublicationDrift): boolean {
  return drift.missingFromPublication.length === 0 && drift.notInRegistry.length === 0;
}

/** One sentence naming both sides of a drift, for test failures, health checks and the CLI. */
export function describeDrift(drift: TPublicationDrift): string {
  if (hasNoDrift(drift)) return "The supabase_realtime publication matches the realtime registry.";
  const parts: string[] = [];
  if (drift.missingFromPublication.length) {
    parts.push(
      `registered but not published: ${drift.missingFromPublication.join(", ")} (add them with a migration: alter publication supabase_realtime add table …)`,
    );
  }
  if (drift.notInRegistry.length) {
    parts.push(
      `published but not registered: ${drift.notInRegistry.join(", ")} (add them to REALTIME_TABLES in shared/src/realtime/realtime-tables.ts, or drop them from the publication)`,
    );
  }
  return `Realtime publication drift: ${parts.join("; ")}.`;
}
