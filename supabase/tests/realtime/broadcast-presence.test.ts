import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleep, startRealtimeTestStack, subscribeChannel, type TRealtimeTestStack, waitUntil } from "../../testing/realtime-test-stack.ts";

type TBroadcast = { type: string; event: string; payload: Record<string, unknown> };

let rt: TRealtimeTestStack;

beforeAll(async () => {
  rt = await startRealtimeTestStack("broadcast");
});

afterAll(async () => {
  await rt?.stop();
});

describe("broadcast", () => {
  it("reaches every subscriber of the topic and comes back to the sender only with self", async () => {
    const selfSeen: TBroadcast[] = [];
    const otherSeen: TBroadcast[] = [];
    const quietSeen: TBroadcast[] = [];
    const sender = rt
      .client()
      .channel("room-1", { config: { broadcast: { self: true, ack: true } } })
      .on("broadcast", { event: "move" }, (p) => selfSeen.push(p as TBroadcast));
    const other = rt
      .client()
      .channel("room-1")
      .on("broadcast", { event: "move" }, (p) => otherSeen.push(p as TBroadcast));
    const quiet = rt
      .client()
      .channel("room-1", { config: { broadcast: { self: false } } })
      .on("broadcast", { event: "move" }, (p) => quietSeen.push(p as TBroadcast));
    await Promise.all([subscribeChannel(sender), subscribeChannel(other), subscribeChannel(quiet)]);

    const status = await sender.send({ type: "broadcast", event: "move", payload: { x: 1, label: "é🚀" } });
    expect(status).toBe("ok");
    await quiet.send({ type: "broadcast", event: "move", payload: { x: 2 } });
    await waitUntil(() => otherSeen.length === 2 && selfSeen.length === 2, "both broadcasts");
    await sleep(100);
    expect(selfSeen.map((b) => b.payload)).toEqual([{ x: 1, label: "é🚀" }, { x: 2 }]);
    expect(otherSeen[0]).toMatchObject({ type: "broadcast", event: "move", payload: { x: 1, label: "é🚀" } });
    expect(quietSeen.map((b) => b.payload)).toEqual([{ x: 1, label: "é🚀" }]);
  });

  it("does not leak broadcasts between topics", async () => {
    const seen: TBroadcast[] = [];
    const a = rt.client().channel("room-a");
    const b = rt
      .client()
      .channel("room-b")
      .on("broadcast", { event: "*" }, (p) => seen.push(p as TBroadcast));
    await Promise.all([subscribeChannel(a), subscribeChannel(b)]);
    await a.send({ type: "broadcast", event: "ping", payload: {} });
    await sleep(200);
    expect(seen).toEqual([]);
  });
});

describe("presence", () => {
  it("shows tracked members to a later joiner and sends joins and leaves to others", async () => {
    const first = rt.client().channel("lobby", { config: { presence: { key: "alice" } } });
    const joins: string[] = [];
    const leaves: string[] = [];
    first.on("presence", { event: "join" }, ({ key }) => joins.push(key));
    first.on("presence", { event: "leave" }, ({ key }) => leaves.push(key));
    await subscribeChannel(first);
    expect(await first.track({ name: "Alice" })).toBe("ok");
    await waitUntil(() => joins.includes("alice"), "alice's own join");

    const secondClient = rt.client();
    const second = secondClient.channel("lobby", { config: { presence: { key: "bob" } } });
    let synced = false;
    second.on("presence", { event: "sync" }, () => {
      synced = true;
    });
    await subscribeChannel(second);
    await waitUntil(() => synced && "alice" in second.presenceState(), "alice in the second client's presence state");
    expect(second.presenceState().alice?.[0]).toMatchObject({ name: "Alice" });
    expect(second.presenceState().alice?.[0]?.presence_ref).toEqual(expect.any(String));

    await second.track({ name: "Bob" });
    await waitUntil(() => joins.includes("bob"), "bob's join seen by alice");
    expect(first.presenceState().bob?.[0]).toMatchObject({ name: "Bob" });

    await secondClient.removeChannel(second);
    await waitUntil(() => leaves.includes("bob"), "bob's leave seen by alice");
    expect(Object.keys(first.presenceState())).toEqual(["alice"]);

    await first.untrack();
    await waitUntil(() => leaves.includes("alice"), "alice's leave after untrack");
  });

  it("removes a member when its socket closes", async () => {
    const watcher = rt.client().channel("lobby-2", { config: { presence: { key: "watcher" } } });
    const leaves: string[] = [];
    watcher.on("presence", { event: "leave" }, ({ key }) => leaves.push(key));
    await subscribeChannel(watcher);
    const goneClient = rt.client();
    const gone = goneClient.channel("lobby-2", { config: { presence: { key: "carol" } } });
    await subscribeChannel(gone);
    await gone.track({ here: true });
    await waitUntil(() => "carol" in watcher.presenceState(), "carol present");
    goneClient.realtime.disconnect();
    await waitUntil(() => leaves.includes("carol"), "carol's leave after her socket closed");
  });
});
