import crypto from "node:crypto";
import {
  createProjectFixture,
  dropProjectFixture,
  serviceClient,
  type TMember,
  type TProjectFixture,
} from "@mission-control/supabase/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { describeRouting, isReroutedDelivery } from "./describe-routing.ts";
import { rerouteChatMessage } from "./reroute-chat-message.ts";
import { sendChatMessage } from "./send-chat-message.ts";

let f: TProjectFixture;
beforeAll(async () => {
  f = await createProjectFixture("web-reroute");
  // Agents, settings and tasks are fixtures: written with the service role, as the seed would.
  const db = serviceClient();
  await db.from("project_settings").insert({ project_id: f.projectId, key: "labs_features", value: { team_room: true } });
  const agents = await db.from("agents").insert([
    { project_id: f.projectId, agent_key: "lead", display_name: "Lead", capabilities: ["planning"] },
    { project_id: f.projectId, agent_key: "backend", display_name: "Backend", capabilities: ["sql", "migrations"] },
  ]);
  if (agents.error) throw new Error(agents.error.message);
});
afterAll(async () => {
  await dropProjectFixture(f);
});

const as = (member: TMember) => member.client as unknown as TBrowserClient;

describe("rerouteChatMessage (against the local stack)", () => {
  it("re-routes a routed message and reads back both deliveries, the cancelled one told apart from a failure", async () => {
    const sent = await sendChatMessage(as(f.operator), {
      projectId: f.projectId,
      threadKey: "team-room",
      content: "Who can write the sql migrations?",
      messageId: crypto.randomUUID(),
    });
    expect(describeRouting(sent.message, f.operator.userId)?.text).toBe("Routed to @backend: sql, migrations");

    const { message, deliveries } = await rerouteChatMessage(as(f.operator), { messageId: sent.message.id, agentKey: "lead" });
    expect(describeRouting(message, f.operator.userId)).toMatchObject({
      text: "Re-routed to @lead by you",
      was: "was routed to @backend: sql, migrations",
    });
    const byAgent = Object.fromEntries(deliveries.map((d) => [d.agent_key, d]));
    expect(byAgent.lead?.status).toBe("queued");
    expect(byAgent.backend && isReroutedDelivery(byAgent.backend)).toBe(true);
  });

  it("refuses a viewer with what to do", async () => {
    const sent = await sendChatMessage(as(f.operator), {
      projectId: f.projectId,
      threadKey: "team-room",
      content: "Hello team",
      messageId: crypto.randomUUID(),
    });
    const err = await rerouteChatMessage(as(f.viewer), { messageId: sent.message.id, agentKey: "backend" }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "forbidden",
      message:
        "Could not re-route the message: Only operators and owners of this project can re-route messages — Ask an owner to give you the operator role.",
    });
  });
});
