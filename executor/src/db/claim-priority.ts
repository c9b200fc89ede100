/**
 * The `Priority` header (RFC 9218, urgency 0) the executor's queue claims carry: runs, chat
 * deliveries and approved actions. A claim is short and the work people watch waits on it, so the
 * local gateway serves the service role's urgent requests before every other waiting request
 * (ARCHITECTURE.md, "Local stack start"); hosted PostgREST ignores the header.
 */
export const CLAIM_PRIORITY = { header: "priority", value: "u=0" } as const;
