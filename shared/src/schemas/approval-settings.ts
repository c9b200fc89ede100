import { z } from "zod";

/**
 * project_settings key `approvals` (checked in SQL by `is_approval_settings`; changed by owners
 * only). With `require_second_factor_for_high_risk` on, approving a high-risk proposal needs an
 * aal2 session: the approver verifies a TOTP code first.
 */
export const ZApprovalSettings = z.strictObject({
  require_second_factor_for_high_risk: z.boolean().optional(),
});
export type TApprovalSettings = z.infer<typeof ZApprovalSettings>;
