/** localStorage key of the slug → project id pairs this browser has opened. */
const STORAGE_KEY = "mission-control-project-ids";

function readAll(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? "{}");
    return parsed && typeof parsed === "object" ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/**
 * The id of the project behind `slug` when this browser opened it before: the shell subscribes to
 * it at once, while the project list is still being read (a wrong or stale id reads nothing, since
 * RLS decides, and is replaced as soon as the list says otherwise). Null on the server and the first visit.
 */
export function rememberedProjectId(slug: string): string | null {
  if (typeof window === "undefined") return null;
  const id = readAll()[slug];
  return typeof id === "string" && /^[0-9a-f-]{36}$/.test(id) ? id : null;
}

/** Remembers the project behind `slug` for the next visit. */
export function rememberProjectId(slug: string, id: string): void {
  try {
    const all = readAll();
    if (all[slug] === id) return;
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...all, [slug]: id }));
  } catch {
    // Storage full or refused: the next visit waits for the project list, as the first one did.
  }
}
