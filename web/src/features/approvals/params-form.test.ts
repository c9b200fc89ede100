import { describe, expect, it } from "vitest";
import { describeParamFields, formValuesToParams, paramsToFormValues } from "./params-form.ts";

describe("describeParamFields", () => {
  it("reads each action type's fields from its zod schema", () => {
    const kinds = (t: string) => Object.fromEntries(describeParamFields(t).map((f) => [f.key, f.kind]));
    expect(kinds("file_write")).toEqual({ path: "text", content: "multiline" });
    expect(kinds("send_message")).toEqual({ thread_key: "text", content: "multiline" });
    expect(kinds("api_call")).toEqual({ method: "enum", url: "text", headers: "json", body: "json", timeout_ms: "number" });
    expect(kinds("schedule_job")).toMatchObject({ schedule_kind: "enum", instructions: "multiline", enabled: "boolean" });
    expect(kinds("create_task")).toMatchObject({ title: "text", description: "multiline", priority: "enum", labels: "lines" });
    expect(describeParamFields("api_call").find((f) => f.key === "method")?.options).toEqual(["GET", "POST", "PUT", "PATCH", "DELETE"]);
    expect(describeParamFields("edit_doc").find((f) => f.key === "agent_key")).toMatchObject({ optional: true, nullable: true });
    expect(describeParamFields("nope")).toEqual([]);
  });
});

describe("form values round trip", () => {
  it("keeps a file's real line breaks (no \\n escapes) and returns validated params", () => {
    const fields = describeParamFields("file_write");
    const values = paramsToFormValues(fields, { path: "notes.md", content: "line 1\nline 2" });
    expect(values.content).toBe("line 1\nline 2");
    const out = formValuesToParams("file_write", fields, { ...values, content: "line 1\nline 2\nline 3" }, {});
    expect(out).toEqual({ ok: true, params: { path: "notes.md", content: "line 1\nline 2\nline 3" } });
  });

  it("leaves empty optional fields out, parses lists, numbers and JSON", () => {
    const fields = describeParamFields("create_task");
    const out = formValuesToParams(
      "create_task",
      fields,
      { ...paramsToFormValues(fields, { title: "T" }), labels: "ui\n\n api " },
      { title: "T" },
    );
    expect(out).toEqual({ ok: true, params: { title: "T", labels: ["ui", "api"] } });
    const api = describeParamFields("api_call");
    const call = formValuesToParams(
      "api_call",
      api,
      { method: "POST", url: "https://x.example/a", headers: '{"x-a": "1"}', body: "", timeout_ms: "5000" },
      {},
    );
    expect(call).toEqual({ ok: true, params: { method: "POST", url: "https://x.example/a", headers: { "x-a": "1" }, timeout_ms: 5000 } });
  });

  it("says which field is wrong", () => {
    const api = describeParamFields("api_call");
    const bad = formValuesToParams("api_call", api, { method: "GET", url: "ftp://x", headers: "{oops", body: "", timeout_ms: "" }, {});
    expect(bad).toMatchObject({ ok: false, error: expect.stringContaining("headers: not valid JSON") });
    const badUrl = formValuesToParams("api_call", api, { method: "GET", url: "ftp://x", headers: "", body: "", timeout_ms: "" }, {});
    expect(badUrl).toMatchObject({ ok: false, error: expect.stringContaining("url:") });
    const noTitle = formValuesToParams("create_task", describeParamFields("create_task"), { title: "  " }, {});
    expect(noTitle).toMatchObject({ ok: false, error: expect.stringContaining("title:") });
  });

  it("keeps a nullable field the operator cleared as null, and a boolean the proposal set", () => {
    const doc = describeParamFields("edit_doc");
    const out = formValuesToParams("edit_doc", doc, { doc_type: "soul", agent_key: "", title: "", content: "x" }, { agent_key: "lead" });
    expect(out).toEqual({ ok: true, params: { doc_type: "soul", agent_key: null, content: "x" } });
    const job = describeParamFields("schedule_job");
    const off = formValuesToParams(
      "schedule_job",
      job,
      { ...paramsToFormValues(job, { name: "n", schedule_kind: "every", schedule_expr: "1h", enabled: true }), enabled: false },
      { enabled: true },
    );
    expect(off).toMatchObject({ ok: true, params: { enabled: false } });
  });
});
