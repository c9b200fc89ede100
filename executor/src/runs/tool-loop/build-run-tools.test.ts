import { AGENT_TOOLS } from "@mission-control/shared/schemas";
import { describe, expect, it } from "vitest";
import { buildRunTools } from "./build-run-tools.ts";

describe("buildRunTools", () => {
  it("offers exactly the enabled tools, apply_changeset as propose_changeset, in a stable order", () => {
    expect(buildRunTools(AGENT_TOOLS).map((tool) => tool.name)).toEqual([
      "read_file",
      "list_files",
      "search_text",
      "read_task",
      "list_tasks",
      "create_task",
      "schedule_job",
      "edit_doc",
      "send_message",
      "api_call",
      "file_write",
      "propose_changeset",
      "hand_off",
    ]);
    expect(buildRunTools(["apply_changeset", "read_file", "unknown"]).map((tool) => [tool.name, tool.agentTool, tool.kind])).toEqual([
      ["read_file", "read_file", "workspace"],
      ["propose_changeset", "apply_changeset", "changeset"],
    ]);
    expect(buildRunTools([])).toEqual([]);
  });

  it("does not offer propose_changeset to a plan run", () => {
    expect(buildRunTools(["read_file", "apply_changeset", "create_task"], { mode: "plan" }).map((tool) => tool.name)).toEqual([
      "read_file",
      "create_task",
    ]);
  });

  it("describes parameters with JSON Schema from the zod schemas, defaults optional, without $schema", () => {
    const [changeset] = buildRunTools(["apply_changeset"]);
    expect(changeset?.definition.parameters).not.toHaveProperty("$schema");
    expect(changeset?.definition.parameters).toMatchObject({ type: "object", required: ["summary", "files"], additionalProperties: false });
    const [task] = buildRunTools(["create_task"]);
    expect(task?.definition.parameters).toMatchObject({
      type: "object",
      required: ["title", "summary"],
      properties: { title: { type: "string" }, risk: { enum: ["low", "medium", "high"] } },
    });
    expect(task?.schema.safeParse({ title: "t", summary: "s" }).success).toBe(true);
    expect(task?.schema.safeParse({ title: "t", summary: "s", extra: 1 }).success).toBe(false);
  });

  it("refuses a changeset that touches the executor's own state", () => {
    const [changeset] = buildRunTools(["apply_changeset"]);
    const parsed = changeset?.schema.safeParse({ summary: "x", files: [{ path: "./.mission-control/journal.json", new_content: "{}" }] });
    expect(parsed?.success).toBe(false);
  });
});
