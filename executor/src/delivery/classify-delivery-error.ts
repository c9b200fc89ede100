import { assertNever, coerceError, type TAppErrorCode } from "@mission-control/shared/errors";

/** What to do after a delivery failed. */
export type TDeliveryFailure =
  /** Worth another attempt later (rate limits, outages, timeouts, a database blip). */
  | { kind: "transient"; reason: string; code: TAppErrorCode }
  /** Retrying will not help (bad configuration, posting limit, missing agent, a hard budget reached): fail with the reason. */
  | { kind: "permanent"; reason: string; code: TAppErrorCode }
  /** The claim was lost (watchdog or another executor): drop the reply, touch nothing. */
  | { kind: "claim_lost"; reason: string; code: TAppErrorCode };

/** Sorts an error of one delivery into transient, permanent or claim lost, by its AppError code. */
export function classifyDeliveryError(err: unknown): TDeliveryFailure {
  const error = coerceError(err);
  const reason = error.message;
  const code = error.code;
  switch (code) {
    case "provider_rate_limited":
    case "provider_unreachable":
    case "provider_timeout":
    case "timeout":
    case "database_unreachable":
    case "control_api_unreachable":
    case "internal":
      return { kind: "transient", reason, code };
    case "conflict":
      return { kind: "claim_lost", reason, code };
    case "config_invalid":
    case "budget_exceeded":
    case "provider_bad_response":
    case "invalid_input":
    case "not_found":
    case "forbidden":
    case "unauthorized":
      return { kind: "permanent", reason, code };
    default:
      return assertNever(code);
  }
}
