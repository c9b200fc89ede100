/** A duration in words for dense cards: "just now", "5 min", "2 h", "3 d". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** "proposed 2 h ago" (or "proposed just now"). */
export function formatAge(verb: string, iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (ms < 60_000) return `${verb} just now`;
  return `${verb} ${formatDuration(ms)} ago`;
}

/** "expires in 22 h" / "expired 5 min ago". */
export function formatExpiry(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (ms <= 0) return `expired ${formatDuration(ms)} ago`;
  return `expires in ${formatDuration(ms)}`;
}
