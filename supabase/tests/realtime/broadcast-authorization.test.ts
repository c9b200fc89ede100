import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRealtimeTestStack, subscribeChannel, type TRealtimeTestStack, waitUntil } from "../../testing/realtime-test-stack.ts";

type TBroadcast = { type: string; event: string; payload: Record<string, unknown>; meta?: { id?: string } };

let rt: TRealtimeTestStack;
type TUser = { id: string; token: string };
/** Two members of room:1 who may read and send, a listener who may only read, and a stranger. */
let users: Record<"alice" | "bob" | "listener" | "stranger", TUser>;
/**
 * A fresh signed-in client (its own socket) per use: supabase-js returns the existing channel for
 * a topic it already has, so each test joins room:1 with new clients.
 */
const as = (name: keyof typeof users) => rt.userClient(() => users[name].token);

beforeAll(async () => {
  rt = await startRealtimeTestStack("broadcast-auth");
  const [a, b, l, s] = [await rt.createUser(), await rt.createUser(), await rt.createUser(), await rt.createUser()];
  // Policies as a hosted project writes them: realtime.topic() names the channel being joined or sent to.
  await rt.sql.query(
    `
    create table public.rt_room_members (room text not null, user_id uuid not null, can_send boolean not null, primary key (room, user_id));
    insert into public.rt_room_members values ('room:1', $1, true), ('room:1', $2, true), ('room:1', $3, false);
    create policy "Members receive room broadcasts" on realtime.messages for select to authenticated using (
      extension = 'broadcast'
      and exists (select 1 from public.rt_room_members m where m.room = (select realtime.topic()) and m.user_id = (select auth.uid()))
    );
    create policy "Senders broadcast to their rooms" on realtime.messages for insert to authenticated with check (
      extension = 'broadcast'
      and exists (select 1 from public.rt_room_members m where m.room = (select realtime.topic()) and m.user_id = (select auth.uid()) and m.can_send)
    );
    create policy "Anyone signed in reads item lists" on realtime.messages for select to authenticated using (
      (select realtime.topic()) like 'items:%'
    );
    create table public.rt_items (id int primary key, list_id int not null, title text not null);
    create function public.rt_items_broadcast() returns trigger language plpgsql security definer set search_path = '' as $$
    begin
      perform realtime.broadcast_changes('items:' || coalesce(new.list_id, old.list_id), tg_op, tg_op, tg_table_name, tg_table_schema, new, old);
      return null;
    end;
    $$;
    create trigger rt_items_broadcast after insert or update or delete on public.rt_items for each row execute function public.rt_items_broadcast();
  `.replace(/\$1|\$2|\$3/g, (m) => `'${{ $1: a.id, $2: b.id, $3: l.id }[m as "$1" | "$2" | "$3"]}'`),
  );
  users = { alice: a, bob: b, listener: l, stranger: s };
});

afterAll(async () => {
  await rt?.stop();
});

/** Joins `topic` and collects its broadcasts of `event`. */
async function listen(client: SupabaseClient, topic: string, event: string, isPrivate: boolean) {
  const got: TBroadcast[] = [];
  const channel = await subscribeChannel(
    client
      .channel(topic, { config: { private: isPrivate, broadcast: { ack: true } } })
      .on("broadcast", { event }, (p) => got.push(p as TBroadcast)),
  );
  return { got, channel };
}

/** The error a join ends with (and stops the channel's retries). */
async function joinError(client: SupabaseClient, topic: string): Promise<string> {
  const channel = client.channel(topic, { config: { private: true } });
  const message = await new Promise<string>((resolve) => {
    channel.subscribe((status, err) => {
      if (status === "CHANNEL_ERROR") resolve(err?.message ?? "");
      else if (status === "SUBSCRIBED") resolve("SUBSCRIBED");
    });
  });
  await client.removeChannel(channel);
  return message;
}

const texts = (got: TBroadcast[]) => got.map((g) => g.payload.text);

describe("private channels (RLS on realtime.messages)", () => {
  it("lets members join and refuses a stranger with hosted's error", async () => {
    await listen(await as("alice"), "room:1", "msg", true);
    expect(await joinError(await as("stranger"), "room:1")).toBe(
      "Unauthorized: You do not have permissions to read from this Channel topic: room:1",
    );
    // The anon role has no policy at all.
    expect(await joinError(rt.client(), "room:1")).toContain("You do not have permissions to read from this Channel topic: room:1");
  });

  it("relays a member's broadcast to the other members, and drops one from a member without the INSERT policy", async () => {
    const bobSide = await listen(await as("bob"), "room:1", "msg", true);
    const aliceSide = await listen(await as("alice"), "room:1", "msg", true);
    const listenerSide = await listen(await as("listener"), "room:1", "msg", true);

    expect(await aliceSide.channel.send({ type: "broadcast", event: "msg", payload: { text: "from alice" } })).toBe("ok");
    await waitUntil(() => texts(bobSide.got).includes("from alice"), "bob to get alice's broadcast");
    await waitUntil(() => texts(listenerSide.got).includes("from alice"), "the listener to get alice's broadcast");

    // Refused sends get no reply (as hosted), so ask for one that is answered after it on the same socket.
    void listenerSide.channel.send({ type: "broadcast", event: "msg", payload: { text: "from the listener" } }, { timeout: 60_000 });
    expect(await listenerSide.channel.track({ online: true })).toBe("error");
    expect(await aliceSide.channel.send({ type: "broadcast", event: "msg", payload: { text: "after" } })).toBe("ok");
    await waitUntil(() => texts(bobSide.got).includes("after"), "bob to get the later broadcast");
    expect(texts(bobSide.got)).not.toContain("from the listener");
  });

  it("keeps private and public channels of the same name apart", async () => {
    const privateSide = await listen(await as("bob"), "room:1", "mix", true);
    const publicSide = await listen(rt.client(), "room:1", "mix", false);
    const sender = await listen(await as("alice"), "room:1", "mix", true);
    expect(await sender.channel.send({ type: "broadcast", event: "mix", payload: { text: "private" } })).toBe("ok");
    const publicSender = await listen(await as("stranger"), "room:1", "mix", false);
    expect(await publicSender.channel.send({ type: "broadcast", event: "mix", payload: { text: "public" } })).toBe("ok");
    await waitUntil(() => texts(privateSide.got).includes("private") && texts(publicSide.got).includes("public"), "both broadcasts");
    expect(texts(privateSide.got)).toEqual(["private"]);
    expect(texts(publicSide.got)).toEqual(["public"]);
  });
});

describe("REST broadcast (/realtime/v1/api/broadcast)", () => {
  it("delivers channel.send() from a channel that is not joined, public and private, and drops a stranger's private message", async () => {
    const publicSide = await listen(rt.client(), "lobby", "note", false);
    const bobSide = await listen(await as("bob"), "room:1", "note", true);

    const unjoined = (client: SupabaseClient, topic: string, isPrivate: boolean): RealtimeChannel =>
      client.channel(topic, { config: { private: isPrivate } });
    expect(await unjoined(rt.client(), "lobby", false).send({ type: "broadcast", event: "note", payload: { text: "rest public" } })).toBe(
      "ok",
    );
    await waitUntil(() => texts(publicSide.got).includes("rest public"), "the public REST broadcast");

    // The batch answers 202 either way (hosted); the refused message is simply not relayed.
    expect(
      await unjoined(await as("stranger"), "room:1", true).send({ type: "broadcast", event: "note", payload: { text: "stranger" } }),
    ).toBe("ok");
    expect(
      await unjoined(await as("alice"), "room:1", true).send({ type: "broadcast", event: "note", payload: { text: "rest private" } }),
    ).toBe("ok");
    await waitUntil(() => texts(bobSide.got).includes("rest private"), "alice's private REST broadcast");
    expect(texts(bobSide.got)).toEqual(["rest private"]);
  });

  it("serves httpSend(): 202 for a member, 403 Unauthorized for a stranger", async () => {
    const bobSide = await listen(await as("bob"), "room:1", "single", true);
    await expect(
      (await as("alice")).channel("room:1", { config: { private: true } }).httpSend("single", { text: "http" }),
    ).resolves.toEqual({
      success: true,
    });
    await waitUntil(() => texts(bobSide.got).includes("http"), "the httpSend broadcast");
    await expect(
      (await as("stranger")).channel("room:1", { config: { private: true } }).httpSend("single", { text: "no" }),
    ).rejects.toThrow("Unauthorized");
  });

  it("answers bad requests with a 4xx that says what to send", async () => {
    const url = `${rt.stack.SUPABASE_URL}/realtime/v1/api/broadcast`;
    const headers = { apikey: rt.stack.SUPABASE_ANON_KEY, "content-type": "application/json" };
    const invalid = await fetch(url, { method: "POST", headers, body: JSON.stringify({ messages: [{ topic: "lobby", payload: {} }] }) });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ errors: { messages: [{ event: ["can't be blank"] }] } });
    const empty = await fetch(url, { method: "POST", headers, body: "{}" });
    expect(empty.status).toBe(422);
    const noKey = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(noKey.status).toBe(401);
    const wrongMethod = await fetch(url, { headers });
    expect(wrongMethod.status).toBe(405);
  });
});

describe("broadcast from the database", () => {
  it("relays realtime.send() once the transaction commits, with meta.id, and never a rolled-back one", async () => {
    const bobSide = await listen(await as("bob"), "room:1", "db", true);
    const client = await rt.sql.connect();
    try {
      await client.query("begin");
      await client.query("select realtime.send('{\"text\":\"rolled back\"}'::jsonb, 'db', 'room:1', true)");
      await client.query("rollback");
    } finally {
      client.release();
    }
    await rt.sql.query("select realtime.send('{\"text\":\"committed\"}'::jsonb, 'db', 'room:1')");
    await waitUntil(() => texts(bobSide.got).includes("committed"), "the committed send");
    expect(texts(bobSide.got)).toEqual(["committed"]);
    const [message] = bobSide.got;
    expect(message?.meta?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(message?.payload.id).toBe(message?.meta?.id);
  });

  it("relays a public send to public subscribers only", async () => {
    const publicSide = await listen(rt.client(), "news", "db", false);
    await rt.sql.query("select realtime.send('{\"text\":\"public news\"}'::jsonb, 'db', 'news', false)");
    await waitUntil(() => texts(publicSide.got).includes("public news"), "the public send");
  });

  it("relays realtime.broadcast_changes() from a row trigger", async () => {
    const got = await listen(await as("bob"), "items:7", "INSERT", true);
    const updates = await listen(await as("bob"), "items:7", "UPDATE", true);
    await rt.sql.query("insert into public.rt_items values (1, 7, 'milk')");
    await rt.sql.query("update public.rt_items set title = 'oat milk' where id = 1");
    await waitUntil(() => got.got.length === 1 && updates.got.length === 1, "the trigger's broadcasts");
    expect(got.got[0]?.payload).toMatchObject({
      operation: "INSERT",
      table: "rt_items",
      schema: "public",
      record: { id: 1, list_id: 7, title: "milk" },
      old_record: null,
    });
    expect(updates.got[0]?.payload).toMatchObject({ operation: "UPDATE", record: { title: "oat milk" }, old_record: { title: "milk" } });
  });
});
