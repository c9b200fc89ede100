import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { deliveryRow, messageRow } from "../testing/delivery-rows.ts";
import { decodeClaimedDeliveries } from "./decode-claimed-delivery.ts";

const at = "2026-01-01T00:00:00.000Z";

// A column this executor does not know yet is dropped.
const delivery = (id: string) => ({ ...deliveryRow(id, { seq: 7 }), added_later: true });

const message = (id: string, content: string) => messageRow(id, content);

const agent = (enabled: boolean) => ({
  id: "a",
  project_id: "p",
  agent_key: "lead",
  display_name: "Lead",
  role: "lead",
  enabled,
  provider: null,
  provider_connection_id: null,
  model: null,
  system_prompt: "You lead.",
  temperature: 0.2,
  max_context_tokens: 8000,
  max_output_tokens: 1000,
  risk_tolerance: "low",
  verbosity: null,
  tools_enabled: [],
  capabilities: [],
  heartbeat: {},
  seq: 1,
  created_at: at,
  updated_at: at,
});

const context = (overrides: Record<string, unknown> = {}) => ({
  message: message("m-d1", "What is the plan?"),
  thread: { id: "t", kind: "dm", thread_key: "DM:lead", title: "DM with lead" },
  agent: agent(true),
  mission: null,
  agent_docs: [],
  history: [message("m-0", "Earlier")],
  agent_defaults: null,
  connections: [],
  budgets_apply: false,
  ...overrides,
});

/** For calls whose items all decode: a report fails the test. */
const noMalformed = (problem: AppError) => {
  throw problem;
};

describe("decodeClaimedDeliveries", () => {
  it("checks each delivery row and shapes its context for the agent once", () => {
    const [claimed] = decodeClaimedDeliveries([{ delivery: delivery("d1"), context: context() }], "claim_chat_delivery_batch", noMalformed);
    expect(claimed?.id).toBe("d1");
    expect(claimed?.delivery).toMatchObject({ id: "d1", message_id: "m-d1", attempts: 1 });
    expect(claimed?.delivery).not.toHaveProperty("added_later");
    expect(claimed?.input).not.toBeInstanceOf(AppError);
    expect(claimed?.input).toMatchObject({
      message: { content: "What is the plan?" },
      thread: { kind: "dm" },
      agent: { agent_key: "lead", system_prompt: "You lead." },
      mission: null,
      agentDocs: [],
      history: [{ content: "Earlier" }],
      agentDefaults: null,
      connections: [],
      budgetsApply: false,
      reservation: null,
    });
  });

  it("carries the project's agent defaults, the connections the agent could run on and whether a budget applies", () => {
    const connection = {
      id: "c1",
      project_id: "p",
      name: "Local vLLM",
      kind: "openai_compatible",
      base_url: "http://127.0.0.1:8000/v1",
      keyless: false,
      default_model: "qwen",
      cli_command: null,
      cli_timeout_seconds: 300,
      key_last4: "abcd",
      key_updated_at: at,
      created_by: null,
      seq: 4,
      created_at: at,
      updated_at: at,
      ciphertext: "v1.kek.iv.tag.ct",
    };
    const [claimed] = decodeClaimedDeliveries(
      [
        {
          delivery: delivery("d1"),
          context: context({ agent_defaults: { verbosity: "concise" }, connections: [connection], budgets_apply: true }),
        },
      ],
      "claim_chat_delivery_batch",
      noMalformed,
    );
    expect(claimed?.input).toMatchObject({
      agentDefaults: { verbosity: "concise" },
      connections: [{ id: "c1", default_model: "qwen", ciphertext: "v1.kek.iv.tag.ct" }],
      budgetsApply: true,
      reservation: null,
    });
  });

  it("fails only the delivery whose message is gone, or whose agent is gone or disabled, as not found", () => {
    const decoded = decodeClaimedDeliveries(
      [
        { delivery: delivery("gone"), context: null },
        { delivery: delivery("removed"), context: context({ agent: null }) },
        { delivery: delivery("disabled"), context: context({ agent: agent(false) }) },
        { delivery: delivery("fine"), context: context() },
      ],
      "complete_chat_deliveries",
      noMalformed,
    );
    expect(decoded.map((c) => (c.input instanceof AppError ? c.input.code : "ready"))).toEqual([
      "not_found",
      "not_found",
      "not_found",
      "ready",
    ]);
    expect(decoded[0]?.input).toMatchObject({ message: "Message m-gone no longer exists: nothing to answer" });
    expect(decoded[1]?.input).toMatchObject({ message: expect.stringMatching(/^Agent lead no longer exists in this project/) });
    expect(decoded[2]?.input).toMatchObject({ message: expect.stringMatching(/^Agent lead is disabled in this project: enable it/) });
  });

  it("fails only the delivery whose context has an unexpected shape, as internal", () => {
    const decoded = decodeClaimedDeliveries(
      [
        { delivery: delivery("odd"), context: context({ history: "not a list" }) },
        { delivery: delivery("fine"), context: context() },
      ],
      "claim_chat_delivery_batch",
      noMalformed,
    );
    expect(decoded[0]?.input).toMatchObject({
      code: "internal",
      message: expect.stringMatching(
        /^load_chat_delivery_context returned an unexpected shape for delivery odd: .*are the migrations up to date/,
      ),
    });
    expect(decoded[1]?.input).not.toBeInstanceOf(AppError);
  });

  it("fails the whole call when the database does not answer an array", () => {
    expect(() => decodeClaimedDeliveries({ delivery: delivery("d1") }, "claim_chat_delivery_batch", noMalformed)).toThrow(
      expect.objectContaining({
        code: "internal",
        message: "claim_chat_delivery_batch did not return a JSON array (are the migrations up to date?)",
      }),
    );
  });

  it("leaves out a claimed item whose delivery row does not decode, reports it, and keeps the others", () => {
    const problems: AppError[] = [];
    const { attempts: _dropped, ...withoutAttempts } = delivery("bad");
    const decoded = decodeClaimedDeliveries(
      [
        { delivery: withoutAttempts, context: null },
        { delivery: delivery("fine"), context: context() },
      ],
      "complete_chat_deliveries",
      (problem) => problems.push(problem),
    );
    expect(decoded.map((claimed) => claimed.id)).toEqual(["fine"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: "internal",
      message: expect.stringMatching(/^complete_chat_deliveries returned a claimed delivery of an unexpected shape \(delivery\.attempts: /),
    });
  });
});
