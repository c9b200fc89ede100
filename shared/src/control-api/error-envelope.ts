import { z } from "zod";
import type { TAppErrorCode } from "../errors/index.ts";

// Mirrors the closed TAppErrorCode union as values zod can check; `satisfies` makes the compiler
// refuse a missing or an extra code, so adding a code to the union fails here until it is listed.
const APP_ERROR_CODES = {
  config_invalid: "config_invalid",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  not_found: "not_found",
  invalid_input: "invalid_input",
  conflict: "conflict",
  database_unreachable: "database_unreachable",
  control_api_unreachable: "control_api_unreachable",
  provider_unreachable: "provider_unreachable",
  provider_rate_limited: "provider_rate_limited",
  provider_bad_response: "provider_bad_response",
  provider_timeout: "provider_timeout",
  timeout: "timeout",
  internal: "internal",
} as const satisfies { [TCode in TAppErrorCode]: TCode };

/** One of the closed AppError codes (`@mission-control/shared/errors`). */
export const ZAppErrorCode = z.enum(APP_ERROR_CODES);

/** Every Control API error answer: `{ error: { code, message } }`, the message saying what to do next. */
export const ZErrorEnvelope = z.object({ error: z.object({ code: ZAppErrorCode, message: z.string() }) });
/** Every Control API error answer. */
export type TErrorEnvelope = z.infer<typeof ZErrorEnvelope>;
