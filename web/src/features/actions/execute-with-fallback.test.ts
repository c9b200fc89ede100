import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it, vi } from "vitest";
import { executeWithFallback, QUEUED_NOTICE } from "./execute-with-fallback.ts";

const deps = (mode: "live" | "backup" | "offline") => ({ getMode: () => mode, recheck: vi.fn() });

describe("executeWithFallback", () => {
  it("writes first, then calls the Control API in Live mode and reports immediate pickup", async () => {
    const order: string[] = [];
    const d = deps("live");
    const outcome = await executeWithFallback(
      {
        write: async () => {
          order.push("write");
          return "m1";
        },
        notify: async (id) => {
          order.push(`notify ${id}`);
        },
      },
      d,
    );
    expect(order).toEqual(["write", "notify m1"]);
    expect(outcome).toEqual({ result: "m1", pickup: "immediate", notice: null });
    expect(d.recheck).not.toHaveBeenCalled();
  });

  it("does not call the Control API in Backup mode and says the work is queued", async () => {
    const notify = vi.fn(async () => {});
    const outcome = await executeWithFallback({ write: async () => 1, notify }, deps("backup"));
    expect(notify).not.toHaveBeenCalled();
    expect(outcome.pickup).toBe("queued");
    expect(outcome.notice).toBe(QUEUED_NOTICE);
  });

  it("keeps the written result and re-checks the badge when the Control API call fails", async () => {
    const d = deps("live");
    const outcome = await executeWithFallback(
      {
        write: async () => "saved",
        notify: async () => {
          throw new Error("connection refused");
        },
      },
      d,
    );
    expect(outcome.result).toBe("saved");
    expect(outcome.pickup).toBe("queued");
    expect(d.recheck).toHaveBeenCalledTimes(1);
  });

  it("fails with an AppError that says nothing was saved when the database write fails, and never notifies", async () => {
    const d = deps("live");
    const notify = vi.fn(async () => {});
    const run = executeWithFallback(
      {
        write: async () => {
          throw new AppError("forbidden", { message: "Only operators can send" });
        },
        notify,
      },
      d,
    );
    await expect(run).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("nothing was saved") });
    expect(notify).not.toHaveBeenCalled();
    expect(d.recheck).toHaveBeenCalledTimes(1);
  });

  it("gives no queued notice for an action without a Control API step", async () => {
    const outcome = await executeWithFallback({ write: async () => true }, deps("backup"));
    expect(outcome.notice).toBeNull();
  });
});
