import type pg from "pg";

// pgoutput gives a 32-bit xid; pg_xact_status wants the 64-bit xid8. The epoch comes from the
// current snapshot's xmax, which can lag behind a just-committed xid (xmax is the latest
// completed xid + 1), so only a distance of more than 2^31 means the xid is from another epoch.
const SQL = `
with s as (select pg_snapshot_xmax(pg_current_snapshot())::text::bigint as xmax)
select pg_xact_status(
  ((((s.xmax >> 32) + case
      when $1::bigint - (s.xmax & 4294967295) > 2147483648 then -1
      when (s.xmax & 4294967295) - $1::bigint > 2147483648 then 1
      else 0
    end) << 32) | $1::bigint)::text::xid8
) as status from s`;

const MAX_ATTEMPTS = 200;

/**
 * Waits until a decoded transaction is visible to new snapshots. Postgres wakes the walsender as
 * soon as the commit record is flushed, a moment before the transaction leaves the proc array, so
 * an RLS check run right away could still miss the row. One round trip in the usual case.
 */
export async function waitForTransactionVisible(pool: pg.Pool, xid: number): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { rows } = await pool.query<{ status: string | null }>(SQL, [xid]);
    if (rows[0]?.status !== "in progress") return;
    await new Promise((resolve) => setTimeout(resolve, attempt < 10 ? 0 : 1));
  }
}
