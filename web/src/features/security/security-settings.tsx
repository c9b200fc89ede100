"use client";

import { StepUpSettingSection } from "./step-up-setting-section.tsx";
import { TotpFactorsSection } from "./totp-factors-section.tsx";

/** Settings → Security: your authenticator app, and whether this project's high-risk approvals need it. */
export function SecuritySettings() {
  return (
    <>
      <TotpFactorsSection />
      <StepUpSettingSection />
    </>
  );
}
