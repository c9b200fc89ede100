/**
 * Decoder for the messages of Postgres' built-in `pgoutput` plugin (protocol version 1), keeping
 * every column value as the text Postgres sent so the change payload can render it exactly the way
 * `to_jsonb` would (hosted Realtime builds its payload with `to_jsonb`).
 * https://www.postgresql.org/docs/17/protocol-logicalrep-message-formats.html
 */

/** One column value of a tuple: text, SQL null, or "unchanged TOAST" (value not sent). */
export type TTupleValue = string | null | undefined;

/** Column description from a Relation message. */
export interface TRelationColumn {
  name: string;
  typeOid: number;
  /** Part of the replica identity key. */
  isKey: boolean;
}

/** A decoded pgoutput message; types the realtime server ignores come back as `ignored`. */
export type TPgoutputMessage =
  | { tag: "begin"; finalLsn: bigint; commitTimeMs: number; xid: number }
  | { tag: "commit"; commitLsn: bigint; endLsn: bigint; commitTimeMs: number }
  | {
      tag: "relation";
      oid: number;
      schema: string;
      name: string;
      replicaIdentity: "default" | "nothing" | "full" | "index";
      columns: TRelationColumn[];
    }
  | { tag: "insert"; oid: number; newTuple: TTupleValue[] }
  | { tag: "update"; oid: number; keyTuple: TTupleValue[] | null; oldTuple: TTupleValue[] | null; newTuple: TTupleValue[] }
  | { tag: "delete"; oid: number; keyTuple: TTupleValue[] | null; oldTuple: TTupleValue[] | null }
  | { tag: "ignored"; kind: string };

/** Microseconds between the Unix epoch and the Postgres epoch (2000-01-01). */
const PG_EPOCH_MS = 946_684_800_000;

/** Converts a Postgres timestamp (µs since 2000-01-01) to Unix milliseconds. */
export function pgTimeToUnixMs(pgMicros: bigint): number {
  return Number(pgMicros / 1000n) + PG_EPOCH_MS;
}

class Reader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}
  u8(): number {
    const v = this.buf.readUInt8(this.offset);
    this.offset += 1;
    return v;
  }
  i16(): number {
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  i32(): number {
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  u32(): number {
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  u64(): bigint {
    const v = this.buf.readBigUInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  i64(): bigint {
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.offset);
    if (end < 0) throw new Error("pgoutput: unterminated string");
    const s = this.buf.toString("utf8", this.offset, end);
    this.offset = end + 1;
    return s;
  }
  text(length: number): string {
    const s = this.buf.toString("utf8", this.offset, this.offset + length);
    this.offset += length;
    return s;
  }
}

const IDENTITIES = { d: "default", n: "nothing", f: "full", i: "index" } as const;

/** Decodes one pgoutput message (the payload of an XLogData frame). */
export function decodePgoutputMessage(buf: Buffer): TPgoutputMessage {
  const r = new Reader(buf);
  const tag = String.fromCharCode(r.u8());
  switch (tag) {
    case "B": {
      const finalLsn = r.u64();
      const commitTimeMs = pgTimeToUnixMs(r.i64());
      return { tag: "begin", finalLsn, commitTimeMs, xid: r.u32() };
    }
    case "C": {
      r.u8();
      const commitLsn = r.u64();
      const endLsn = r.u64();
      return { tag: "commit", commitLsn, endLsn, commitTimeMs: pgTimeToUnixMs(r.i64()) };
    }
    case "R": {
      const oid = r.u32();
      const schema = r.cstring();
      const name = r.cstring();
      const identity = String.fromCharCode(r.u8()) as keyof typeof IDENTITIES;
      const count = r.i16();
      const columns: TRelationColumn[] = [];
      for (let i = 0; i < count; i++) {
        const flags = r.u8();
        const colName = r.cstring();
        const typeOid = r.u32();
        r.i32();
        columns.push({ name: colName, typeOid, isKey: (flags & 1) === 1 });
      }
      return { tag: "relation", oid, schema, name, replicaIdentity: IDENTITIES[identity] ?? "default", columns };
    }
    case "I": {
      const oid = r.u32();
      r.u8(); // 'N'
      return { tag: "insert", oid, newTuple: readTuple(r) };
    }
    case "U": {
      const oid = r.u32();
      let keyTuple: TTupleValue[] | null = null;
      let oldTuple: TTupleValue[] | null = null;
      let kind = String.fromCharCode(r.u8());
      if (kind === "K" || kind === "O") {
        const tuple = readTuple(r);
        if (kind === "K") keyTuple = tuple;
        else oldTuple = tuple;
        kind = String.fromCharCode(r.u8());
      }
      if (kind !== "N") throw new Error(`pgoutput: unexpected update part ${kind}`);
      return { tag: "update", oid, keyTuple, oldTuple, newTuple: readTuple(r) };
    }
    case "D": {
      const oid = r.u32();
      const kind = String.fromCharCode(r.u8());
      const tuple = readTuple(r);
      return { tag: "delete", oid, keyTuple: kind === "K" ? tuple : null, oldTuple: kind === "O" ? tuple : null };
    }
    default:
      // Y (type), O (origin), T (truncate), M (message): hosted Realtime sends nothing for these.
      return { tag: "ignored", kind: tag };
  }
}

function readTuple(r: Reader): TTupleValue[] {
  const count = r.i16();
  const values: TTupleValue[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const kind = String.fromCharCode(r.u8());
    if (kind === "n") values[i] = null;
    else if (kind === "u") values[i] = undefined;
    else if (kind === "t" || kind === "b") values[i] = r.text(r.i32());
    else throw new Error(`pgoutput: unknown tuple value kind ${kind}`);
  }
  return values;
}
