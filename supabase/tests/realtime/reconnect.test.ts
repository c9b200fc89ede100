import type { RealtimePostgresChangesPayload } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleep, startRealtimeTestStack, subscribeChannel, type TRealtimeTestStack, waitUntil } from "../../testing/realtime-test-stack.ts";

type TChange = RealtimePostgresChangesPayload<Record<string, unknown>>;
type TSlot = { slot_name: string; temporary: boolean; active: boolean };

let rt: TRealtimeTestStack;

beforeAll(async () => {
  rt = await startRealtimeTestStack("reconnect");
  await rt.sql.query(`
    create table public.rt_events (id int primary key, note text);
    alter publication supabase_realtime add table public.rt_events;
  `);
});

afterAll(async () => {
  await rt?.stop();
});

async function realtimeSlots(): Promise<TSlot[]> {
  const { rows } = await rt.sql.query<TSlot>(
    "select slot_name, temporary, active from pg_replication_slots where slot_name like 'mc\\_realtime\\_%' order by slot_name",
  );
  return rows;
}

describe("replication lifecycle", () => {
  it("streams through one temporary slot, so a dead gateway cannot hold WAL", async () => {
    const slots = await realtimeSlots();
    expect(slots).toHaveLength(1);
    expect(slots[0]).toMatchObject({ temporary: true, active: true });
  });

  it("acknowledges processed changes so the slot's confirmed_flush_lsn advances and WAL is released", async () => {
    const lsn = async () =>
      (
        await rt.sql.query<{ lsn: string }>(
          "select confirmed_flush_lsn::text as lsn from pg_replication_slots where slot_name like 'mc\\_realtime\\_%'",
        )
      ).rows[0]?.lsn ?? "0/0";
    const toBig = (l: string) => {
      const [hi = "0", lo = "0"] = l.split("/");
      return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
    };
    const before = toBig(await lsn());
    await rt.sql.query("insert into public.rt_events values (40, 'ack me')");
    // The commit record lies past every position confirmed so far, so an ack of it must move the slot forward.
    const deadline = Date.now() + 5_000;
    let after = toBig(await lsn());
    while (after <= before && Date.now() < deadline) {
      await sleep(50);
      after = toBig(await lsn());
    }
    expect(after).toBeGreaterThan(before);
  });

  it("reconnects its replication stream when Postgres kills it and keeps delivering", async () => {
    const got: TChange[] = [];
    await subscribeChannel(
      rt
        .client()
        .channel("events-kill")
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_events" }, (p) => got.push(p)),
    );
    const [before] = await realtimeSlots();
    await rt.sql.query("select pg_terminate_backend(active_pid) from pg_replication_slots where slot_name = $1", [before?.slot_name]);
    const deadline = Date.now() + 5_000;
    let after = await realtimeSlots();
    while (!(after.length === 1 && after[0]?.slot_name !== before?.slot_name && after[0]?.active === true)) {
      if (Date.now() > deadline)
        throw new Error(`no new active realtime slot after killing ${before?.slot_name}: ${JSON.stringify(after)}`);
      await sleep(50);
      after = await realtimeSlots();
    }
    await rt.sql.query("insert into public.rt_events values (50, 'after kill')");
    // The earlier test's row may still reach this new channel (it may be dispatched after the join):
    // what counts is that the row written after the kill arrives, once.
    const afterKill = () => got.filter((p) => (p.new as { id?: number }).id === 50);
    await waitUntil(() => afterKill().length > 0, "the event after the stream reconnected");
    expect(afterKill().map((p) => p.new)).toEqual([{ id: 50, note: "after kill" }]);
  });

  it("rejoins after a gateway restart and delivers changes made after it, leaving no old slot behind", { timeout: 45_000 }, async () => {
    const got: TChange[] = [];
    const statuses: string[] = [];
    const channel = rt
      .client()
      .channel("events")
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_events" }, (p) => got.push(p));
    channel.subscribe((status) => statuses.push(status));
    await waitUntil(() => statuses.includes("SUBSCRIBED"), "the first subscription");
    await rt.sql.query("insert into public.rt_events values (1, 'before restart')");
    await waitUntil(() => got.length === 1, "the event before the restart");
    const [slotBefore] = await realtimeSlots();

    // A slot a crashed gateway left behind (not temporary, inactive): the next start drops it.
    await rt.sql.query("select pg_create_logical_replication_slot('mc_realtime_crashed', 'pgoutput')");
    await rt.restart();
    const slotsAfter = await realtimeSlots();
    expect(slotsAfter).toHaveLength(1);
    expect(slotsAfter[0]?.slot_name).not.toBe(slotBefore?.slot_name);

    await waitUntil(() => statuses.filter((s) => s === "SUBSCRIBED").length >= 2, "the client to rejoin", 30_000);
    await rt.sql.query("insert into public.rt_events values (2, 'after restart')");
    await waitUntil(() => got.length === 2, "the event after the restart");
    expect(got[1]?.new).toMatchObject({ note: "after restart" });
  });
});

describe("a fresh subscriber", () => {
  it("can subscribe with supabase-js and see a change committed right after SUBSCRIBED", async () => {
    const got: TChange[] = [];
    await subscribeChannel(
      rt
        .client()
        .channel("events-2")
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_events" }, (p) => got.push(p)),
    );
    await rt.sql.query("insert into public.rt_events values (3, 'immediate')");
    await waitUntil(() => got.length === 1, "the immediate event");
    expect(got[0]?.new).toEqual({ id: 3, note: "immediate" });
  });
});
