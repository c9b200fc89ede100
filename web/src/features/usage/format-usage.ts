const tokenFormat = new Intl.NumberFormat("en-US");
const compactFormat = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** A token count in full: 1,234,567. */
export function formatTokens(value: number): string {
  return tokenFormat.format(Math.round(value));
}

/** A token count for an axis tick: 1.2M. */
export function formatTokensCompact(value: number): string {
  return compactFormat.format(value);
}

/**
 * US dollars with the precision the amount needs: "$12.34", "$0.15", "$0.0042" (small per-call
 * costs and per-token prices stay visible), "$0"; null (no price known) is "—".
 */
export function formatUsd(value: number | null): string {
  if (value === null) return "—";
  if (value === 0) return "$0";
  const abs = Math.abs(value);
  const text =
    abs < 0.0001 ? "<$0.0001" : `$${abs.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: abs >= 1 ? 2 : 4 })}`;
  return value < 0 ? `-${text}` : text;
}

/** "Nov 21" for a YYYY-MM-DD UTC day. */
export function formatDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}
