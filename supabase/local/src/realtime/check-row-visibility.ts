import type pg from "pg";
import { escapeLiteral } from "pg";
import { type TRequestIdentity, withClaims } from "../db/with-claims.ts";
import type { TTupleValue } from "./decode-pgoutput-message.ts";
import { quoteIdent, type TRelationInfo } from "./load-relation-info.ts";

/** Identities checked in one transaction (one round trip for the whole batch). */
const BATCH_SIZE = 25;

/**
 * Asks Postgres, for each identity, whether it may SELECT the row with the primary key found in
 * `tuple` under RLS: the rule hosted Realtime applies to INSERT and UPDATE on RLS tables. Each
 * batch runs in one {@link withClaims} transaction whose statements switch role and
 * `request.jwt.claims` (transaction-locally) before each probe, so N identities cost one round
 * trip instead of N transactions. A batch that fails (e.g. a policy raising for some claims) is
 * retried identity by identity. A table without a primary key counts as not visible.
 */
export async function checkRowVisibility(
  apiPool: pg.Pool,
  identities: TRequestIdentity[],
  info: TRelationInfo,
  tuple: TTupleValue[],
): Promise<boolean[]> {
  const probe = probeSql(info, tuple);
  if (!probe || identities.length === 0) return identities.map(() => false);
  const batches: TRequestIdentity[][] = [];
  for (let i = 0; i < identities.length; i += BATCH_SIZE) batches.push(identities.slice(i, i + BATCH_SIZE));
  const results = await Promise.all(
    batches.map((batch) =>
      checkBatch(apiPool, batch, probe).catch(() =>
        Promise.all(batch.map((identity) => checkBatch(apiPool, [identity], probe).then((r) => r[0] === true))),
      ),
    ),
  );
  return results.flat();
}

async function checkBatch(apiPool: pg.Pool, identities: TRequestIdentity[], probe: string): Promise<boolean[]> {
  const first = identities[0] as TRequestIdentity;
  const sql = identities
    .map(
      (identity) =>
        `select set_config('role', ${escapeLiteral(identity.role)}, true), set_config('request.jwt.claims', ${escapeLiteral(JSON.stringify(identity.claims))}, true); ${probe}`,
    )
    .join(" ");
  const results = await withClaims(apiPool, first, async (client) => (await client.query(sql)) as unknown as pg.QueryResult[], {
    readOnly: true,
  });
  return identities.map((_, i) => (results[i * 2 + 1]?.rows[0] as { visible?: boolean } | undefined)?.visible === true);
}

/** `select exists(...) as visible` for the row's primary key, with values as escaped literals. */
function probeSql(info: TRelationInfo, tuple: TTupleValue[]): string | null {
  const condition = rowConditionSql(info, tuple);
  return condition === null ? null : `select exists (select 1 from ${info.qualified} where ${condition}) as visible;`;
}

/** The condition matching the row by its primary key (values as escaped literals); null without one. */
export function rowConditionSql(info: TRelationInfo, tuple: TTupleValue[]): string | null {
  if (info.pkPositions.length === 0) return null;
  const conditions: string[] = [];
  for (const position of info.pkPositions) {
    const column = info.tupleColumns[position];
    const value = tuple[position];
    if (!column || value === null || value === undefined) return null;
    conditions.push(`${quoteIdent(column.name)} = ${escapeLiteral(value)}::${column.sqlType}`);
  }
  return conditions.join(" and ");
}
