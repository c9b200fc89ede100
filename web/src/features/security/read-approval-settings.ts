import type { TProjectSetting } from "@mission-control/shared/rows";
import { type TApprovalSettings, ZApprovalSettings } from "@mission-control/shared/schemas";

/**
 * The project's approval settings from the live store's project_settings rows (key `approvals`);
 * a missing or unreadable row means the defaults (no second factor asked).
 */
export function readApprovalSettings(settings: Record<string, TProjectSetting>, projectId: string): Required<TApprovalSettings> {
  const parsed = ZApprovalSettings.safeParse(settings[`${projectId}:approvals`]?.value ?? {});
  return { require_second_factor_for_high_risk: parsed.success ? (parsed.data.require_second_factor_for_high_risk ?? false) : false };
}
