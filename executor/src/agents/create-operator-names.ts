import type { TDb } from "../db/executor-client.ts";

/** Looks up how to call an operator in status lines ("Ada"), remembered per user id. */
export interface TOperatorNames {
  nameOf(userId: string | null): Promise<string>;
}

/**
 * Resolves operator names through the auth admin API (full_name / name metadata, else the part of
 * the email before the @), cached for the executor's life. Failures fall back to "the operator".
 */
export function createOperatorNames(db: TDb, options: { maxEntries?: number } = {}): TOperatorNames {
  const cache = new Map<string, Promise<string>>();
  const maxEntries = options.maxEntries ?? 1000;
  return {
    nameOf(userId) {
      if (!userId) return Promise.resolve("the operator");
      let name = cache.get(userId);
      if (!name) {
        name = db.auth.admin.getUserById(userId).then(
          ({ data, error }) => {
            if (error || !data.user) {
              cache.delete(userId);
              return "the operator";
            }
            const meta = (data.user.user_metadata ?? {}) as Record<string, unknown>;
            const fromMeta = [meta.full_name, meta.name, meta.display_name].find(
              (v): v is string => typeof v === "string" && v.trim() !== "",
            );
            return fromMeta?.trim() ?? data.user.email?.split("@")[0] ?? "the operator";
          },
          () => {
            cache.delete(userId);
            return "the operator";
          },
        );
        if (cache.size >= maxEntries) cache.clear();
        cache.set(userId, name);
      }
      return name;
    },
  };
}
