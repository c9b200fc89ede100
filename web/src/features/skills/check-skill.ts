import { createControlApiClient, type TCheckSkillAnswer } from "@mission-control/shared/control-api";
import { AppError, coerceError } from "@mission-control/shared/errors";

/** The tooltip of "Check again" whenever the badge does not say Live: only the executor can check a skill. */
export const CHECK_REQUIRES_EXECUTOR = "Requires executor connection";

/**
 * Asks the executor to check a skill now (`POST /api/skills/:skillId/check`) and returns its
 * verdict. There is no Backup path: a check looks at the executor's machine, so no answer at all
 * says to try again when the badge says Live.
 */
export async function checkSkill(options: {
  controlApiUrl: string;
  accessToken: string;
  skillId: string;
  fetch?: typeof fetch;
}): Promise<TCheckSkillAnswer> {
  const client = createControlApiClient({ baseUrl: options.controlApiUrl, fetch: options.fetch, timeoutMs: 15_000 });
  try {
    return await client.checkSkill({ accessToken: options.accessToken, skillId: options.skillId });
  } catch (cause) {
    const error = coerceError(cause);
    const message =
      error.code === "control_api_unreachable"
        ? `Could not check the skill: ${error.message}. ${CHECK_REQUIRES_EXECUTOR}: try again when the badge says Live.`
        : `Could not check the skill: ${error.message}`;
    throw new AppError(error.code, { message, cause, details: error.details });
  }
}
