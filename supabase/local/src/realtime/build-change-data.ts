import type { TTupleValue } from "./decode-pgoutput-message.ts";
import { encodeWalValue } from "./encode-wal-value.ts";
import type { TApiRole, TRelationInfo } from "./load-relation-info.ts";

/** One row change, as dispatching needs it. */
export interface TRowChange {
  type: "INSERT" | "UPDATE" | "DELETE";
  info: TRelationInfo;
  /** New row (INSERT, UPDATE); unchanged TOAST values are `undefined`. */
  newTuple: TTupleValue[] | null;
  /** Full old row (replica identity full). */
  oldTuple: TTupleValue[] | null;
  /** Old replica identity key (key columns only, other positions null). */
  keyTuple: TTupleValue[] | null;
  /** `YYYY-MM-DDTHH:MI:SS.MSZ` */
  commitTimestamp: string;
  /** Transaction id (32 bit) from the Begin message. */
  xid: number;
}

/** INSERT or UPDATE on a table without primary key: hosted answers with an "Error 400" payload. */
export function lacksPrimaryKey(change: TRowChange): boolean {
  return change.type !== "DELETE" && change.info.pkPositions.length === 0;
}

/** The row values a filter or old_record is evaluated against: new row, else old row, else key. */
export function filterTuple(change: TRowChange): TTupleValue[] | null {
  if (change.type === "DELETE") return change.oldTuple ?? change.keyTuple;
  return change.newTuple;
}

/**
 * JSON text of the `data` of a postgres_changes message for subscribers of `role`, shaped like
 * hosted Realtime's: columns and values limited to what the role may SELECT, `record` for INSERT
 * and UPDATE, `old_record` for UPDATE and DELETE (only the primary key for DELETE on RLS tables).
 */
export function buildChangeData(change: TRowChange, role: TApiRole): string {
  const { info, type } = change;
  if (lacksPrimaryKey(change)) {
    // Hosted Realtime cannot address such rows and sends this error instead of the record.
    const empty = type === "UPDATE" ? `"record":{},"old_record":{}` : `"record":{}`;
    return `{"schema":${JSON.stringify(info.schema)},"table":${JSON.stringify(info.table)},"commit_timestamp":null,"type":"${type}","columns":[],${empty},"errors":["Error 400: Bad Request, no primary key"]}`;
  }
  const columns = info.columns.filter((c) => c.selectable[role]).map((c) => ({ name: c.name, type: c.type }));
  let json = `{"schema":${JSON.stringify(info.schema)},"table":${JSON.stringify(info.table)},"commit_timestamp":${JSON.stringify(change.commitTimestamp)},"type":"${type}","columns":${JSON.stringify(columns)}`;
  if (type !== "DELETE" && change.newTuple) {
    json += `,"record":${encodeRecord(change, change.newTuple, role, false, change.oldTuple)}`;
  }
  if (type === "UPDATE") {
    const old = change.oldTuple ?? change.keyTuple;
    json += `,"old_record":${old ? encodeRecord(change, old, role, change.oldTuple === null, null) : encodeRecord(change, change.newTuple ?? [], role, true, null)}`;
  } else if (type === "DELETE") {
    const old = change.oldTuple ?? change.keyTuple ?? [];
    json += `,"old_record":${encodeRecord(change, old, role, info.rls || change.oldTuple === null, null)}`;
  }
  return `${json},"errors":null}`;
}

function encodeRecord(
  change: TRowChange,
  tuple: TTupleValue[],
  role: TApiRole,
  keyOnly: boolean,
  toastFallback: TTupleValue[] | null,
): string {
  const { info } = change;
  const parts: string[] = [];
  for (let i = 0; i < info.tupleColumns.length; i++) {
    const column = info.tupleColumns[i];
    if (!column?.selectable[role]) continue;
    if (keyOnly && !column.isPk) continue;
    let value = tuple[i];
    if (value === undefined) value = toastFallback?.[i];
    if (value === undefined) continue;
    parts.push(`${JSON.stringify(column.name)}:${encodeWalValue(value, column.codec)}`);
  }
  return `{${parts.join(",")}}`;
}
