import type { TProjectSetting } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { readApprovalSettings } from "./read-approval-settings.ts";

const row = (value: unknown) => ({ project_id: "p", key: "approvals", value }) as unknown as TProjectSetting;

describe("readApprovalSettings", () => {
  it("reads the switch, and falls back to off when missing or malformed", () => {
    expect(readApprovalSettings({ "p:approvals": row({ require_second_factor_for_high_risk: true }) }, "p")).toEqual({
      require_second_factor_for_high_risk: true,
    });
    expect(readApprovalSettings({}, "p").require_second_factor_for_high_risk).toBe(false);
    expect(
      readApprovalSettings({ "p:approvals": row({ require_second_factor_for_high_risk: "yes" }) }, "p").require_second_factor_for_high_risk,
    ).toBe(false);
  });
});
