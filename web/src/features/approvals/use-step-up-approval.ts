"use client";

import type { TProposal } from "@mission-control/shared/rows";
import { useCallback, useRef, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { isStepUpRefusal } from "../security/mfa-error-message.ts";
import { readApprovalSettings } from "../security/read-approval-settings.ts";
import { hasSecondFactorSession } from "../security/verify-totp-code.ts";

/** Shown when the approver closes the code prompt. */
export const STEP_UP_CANCELLED = "Not approved: a high-risk approval needs the code from your authenticator app.";

/**
 * Step-up for one proposal's approval. `guard(work)` runs the approval at once unless the project
 * requires a second factor for high-risk actions, the proposal is high-risk and this session is
 * not aal2: then it first shows the code prompt (`prompt` is non-null; render StepUpCodePrompt with
 * its `onDone`) and approves once the code is verified. A refusal by the database (the setting
 * was turned on meanwhile) asks for the code too, then tries once more.
 */
export function useStepUpApproval(proposal: TProposal) {
  const { project, client } = useProject();
  const settings = useLiveStore((s) => s.rows.project_settings);
  const required = proposal.risk === "high" && readApprovalSettings(settings, project.id).require_second_factor_for_high_risk;
  const [asking, setAsking] = useState(false);
  const answer = useRef<((verified: boolean) => void) | null>(null);

  const askForCode = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        answer.current = resolve;
        setAsking(true);
      }),
    [],
  );

  const guard = useCallback(
    async <T extends { notice: string | null }>(work: () => Promise<T>): Promise<T | { notice: string }> => {
      if (required && !(await hasSecondFactorSession(client)) && !(await askForCode())) return { notice: STEP_UP_CANCELLED };
      try {
        return await work();
      } catch (err) {
        if (!isStepUpRefusal(err)) throw err;
        if (!(await askForCode())) return { notice: STEP_UP_CANCELLED };
        return work();
      }
    },
    [required, client, askForCode],
  );

  const onDone = useCallback((verified: boolean) => {
    answer.current?.(verified);
    answer.current = null;
    setAsking(false);
  }, []);

  return { guard, prompt: asking ? { onDone } : null, required };
}
