import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { serviceClient } from "../testing/stack-fixtures.ts";
import { announcePresence } from "./announce-presence.ts";

const db = serviceClient();
const run = crypto.randomUUID().slice(0, 8);
const host = `host${run}`;
const url = `http://127.0.0.1:1${run.replace(/\D/g, "").slice(0, 4)}`;
const ids = { killed: `${host}-101`, next: `${host}-102`, elsewhere: `other${run}-101`, otherPort: `${host}-103` };

afterAll(async () => {
  await db.from("executor_presence").delete().in("id", Object.values(ids));
});

describe("announcePresence", () => {
  it("retires a killed executor of this host that held the same Control API URL, and nothing else", async () => {
    const seen = new Date().toISOString();
    const { error } = await db.from("executor_presence").insert([
      { id: ids.killed, version: "0.1.0", control_api_url: url, last_seen_at: seen },
      { id: ids.elsewhere, version: "0.1.0", control_api_url: url, last_seen_at: seen },
      { id: ids.otherPort, version: "0.1.0", control_api_url: `${url}9`, last_seen_at: seen },
    ]);
    expect(error).toBeNull();

    await announcePresence(db, { executorId: ids.next, version: "0.1.0", controlApiUrl: url, startedAt: new Date(), hostname: host });

    const { data } = await db.from("executor_presence").select("id, stopped_at").in("id", Object.values(ids));
    const stopped = Object.fromEntries((data ?? []).map((row) => [row.id, row.stopped_at !== null]));
    expect(stopped).toEqual({ [ids.killed]: true, [ids.next]: false, [ids.elsewhere]: false, [ids.otherPort]: false });
  });
});
