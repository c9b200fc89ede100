import { describe, expect, it } from "vitest";
import { runRow } from "../../testing/test-rows.ts";
import { describeTaskWork } from "./describe-task-work.ts";

const now = Date.parse("2026-12-01T10:10:00Z");

describe("describeTaskWork", () => {
  it("says which agent works on the task now and what it does", () => {
    const running = runRow("r1", { status: "running", step_count: 3, current_step: "reading README.md" });
    expect(describeTaskWork([running], "live", now)).toMatchObject({
      tone: "working",
      text: "@backend is working on this now · step 3/12 · reading README.md",
    });
  });

  it("names the newest active run and ignores finished ones", () => {
    const runs = [
      runRow("old", { status: "completed", created_at: "2026-12-01T10:09:00Z" }),
      runRow("waiting", { status: "needs_approval", created_at: "2026-12-01T10:05:00Z" }),
      runRow("queued", { status: "queued", agent_key: "frontend", created_at: "2026-12-01T10:06:00Z" }),
    ];
    expect(describeTaskWork(runs, "live", now)?.text).toBe("@frontend starts when the executor picks the run up");
    expect(describeTaskWork([runs[1] ?? runRow("x")], "live", now)?.text).toBe("@backend waits for your approval");
  });

  it("says the agent is offline with its last known state and age in Backup mode", () => {
    const running = runRow("r1", { status: "running", step_count: 2, updated_at: "2026-12-01T10:05:00Z" });
    expect(describeTaskWork([running], "backup", now)).toMatchObject({
      tone: "offline",
      text: "@backend: agent offline: last known state · running, step 2/12 · 5 min ago",
    });
  });

  it("still asks for the approval in Backup mode: a decision needs no executor", () => {
    const waiting = runRow("r1", { status: "needs_approval", updated_at: "2026-12-01T10:09:30Z" });
    expect(describeTaskWork([waiting], "backup", now)?.text).toBe(
      "@backend waits for your approval · agent offline: last known state · just now",
    );
  });

  it("says nothing when no run is active", () => {
    expect(describeTaskWork([runRow("r1", { status: "failed" })], "live", now)).toBeNull();
  });
});
