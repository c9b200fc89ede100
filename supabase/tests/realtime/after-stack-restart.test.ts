import { createSupabaseClient } from "@mission-control/shared/db";
import type { RealtimePostgresChangesPayload, SupabaseClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRealtimeTestStack, type TRealtimeTestStack, waitUntil } from "../../testing/realtime-test-stack.ts";

type TChange = RealtimePostgresChangesPayload<Record<string, unknown>>;

let rt: TRealtimeTestStack;
let client: SupabaseClient;
let ownerId: string;

beforeAll(async () => {
  rt = await startRealtimeTestStack("after-restart");
  await rt.sql.query(`
    create table public.rt_owned (id int primary key, owner_id uuid not null, note text not null);
    alter table public.rt_owned enable row level security;
    create policy "Owners read their rows" on public.rt_owned for select to authenticated using (owner_id = (select auth.uid()));
    grant select on public.rt_owned to authenticated;
    alter publication supabase_realtime add table public.rt_owned;
  `);
  const email = `restart-${Date.now()}@example.test`;
  const password = "restart-password-1";
  const created = await rt.serviceClient().auth.admin.createUser({ email, password, email_confirm: true });
  if (created.error) throw created.error;
  ownerId = created.data.user.id;
  // Signed in like the dashboard: a session in supabase-js (here in memory), refreshed automatically.
  client = createSupabaseClient(rt.stack.SUPABASE_URL, rt.stack.SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: true, detectSessionInUrl: false },
  });
  const signedIn = await client.auth.signInWithPassword({ email, password });
  if (signedIn.error) throw signedIn.error;
});

afterAll(async () => {
  await client?.removeAllChannels();
  await client?.auth.stopAutoRefresh();
  await rt?.stop();
});

describe("a signed-in subscriber across a restart of the whole stack", () => {
  it("receives events again within 10 s of the stack being back, and a catch-up on SUBSCRIBED misses nothing committed after it", {
    timeout: 90_000,
  }, async () => {
    const events: TChange[] = [];
    const statuses: string[] = [];
    const caughtUp = new Set<number>();
    let catchUps = 0;
    // What web/src/features/live/subscribe-project.ts does: setAuth with the session's token, one
    // channel with a filtered postgres_changes binding, and a database read on every SUBSCRIBED.
    const { data } = await client.auth.getSession();
    await client.realtime.setAuth(data.session?.access_token ?? null);
    client
      .channel(`project:${ownerId}:restart`)
      .on("postgres_changes", { event: "*", schema: "public", table: "rt_owned", filter: `owner_id=eq.${ownerId}` }, (p) => events.push(p))
      .subscribe((status) => {
        statuses.push(status);
        if (status !== "SUBSCRIBED") return;
        void client
          .from("rt_owned")
          .select("id")
          .then(({ data: rows, error }) => {
            if (error) throw error;
            for (const row of rows as { id: number }[]) caughtUp.add(row.id);
            catchUps += 1;
          });
      });
    await waitUntil(() => catchUps === 1, "the first SUBSCRIBED and its catch-up", 10_000);
    await rt.sql.query("insert into public.rt_owned values (1, $1, 'before the restart')", [ownerId]);
    await waitUntil(() => events.length === 1, "the event before the restart");

    await rt.restart();
    const backAt = Date.now();
    // Writes go on from the moment the stack is back, as an agent's replies would.
    const written: number[] = [];
    let writing = true;
    const writer = (async () => {
      for (let id = 100; writing; id += 1) {
        await rt.sql.query("insert into public.rt_owned values ($1, $2, 'after the restart')", [id, ownerId]);
        written.push(id);
        await new Promise((resolve) => setTimeout(resolve, 50)); // pacing of the writer, not a wait on state
      }
    })();
    try {
      await waitUntil(() => events.some((e) => Number((e.new as { id?: number }).id) >= 100), "an event after the restart", 10_000);
      expect(Date.now() - backAt).toBeLessThan(10_000);
      expect(statuses.filter((s) => s === "SUBSCRIBED").length).toBeGreaterThanOrEqual(2);
      await waitUntil(() => catchUps >= 2, "the catch-up of the rejoin");
    } finally {
      writing = false;
      await writer;
    }
    // Every row written after the restart reached the client: by realtime, or by the catch-up
    // that SUBSCRIBED triggered (rows committed before the rejoin).
    const delivered = () => new Set([...caughtUp, ...events.map((e) => Number((e.new as { id?: number }).id))]);
    await waitUntil(() => written.every((id) => delivered().has(id)), `every row written after the restart (${written.length})`);
    const last = written.at(-1) as number;
    expect(events.some((e) => (e.new as { id?: number }).id === last)).toBe(true);
    expect(events.every((e) => (e.new as { owner_id?: string }).owner_id === ownerId)).toBe(true);
  });
});
