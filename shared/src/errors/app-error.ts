/**
 * Every error code the apps raise on purpose. A closed list: add a code here, then handle it
 * where errors are shown (an exhaustive switch with assertNever will point at every place).
 */
export const APP_ERROR_CODES = [
  "config_invalid",
  "unauthorized",
  "forbidden",
  "not_found",
  "invalid_input",
  "conflict",
  "database_unreachable",
  "control_api_unreachable",
  "provider_unreachable",
  "provider_rate_limited",
  "provider_bad_response",
  "provider_timeout",
  /** A hard budget (tokens or currency, per day or month) would be passed: the call is not made. */
  "budget_exceeded",
  "timeout",
  "internal",
] as const;

/** One of APP_ERROR_CODES. */
export type TAppErrorCode = (typeof APP_ERROR_CODES)[number];

/** The one error type of the apps: a code, a message that says what to do, and the cause. */
export class AppError extends Error {
  readonly code: TAppErrorCode;
  /** Extra facts safe to log or show (ids, attempts); never secrets. */
  readonly details: Record<string, unknown>;

  constructor(code: TAppErrorCode, options: { message: string; cause?: unknown; details?: Record<string, unknown> }) {
    super(options.message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Turns anything thrown into an AppError; known AppErrors pass through unchanged. */
export function coerceError(value: unknown, fallback: TAppErrorCode = "internal"): AppError {
  if (value instanceof AppError) return value;
  if (value instanceof Error) return new AppError(fallback, { message: value.message, cause: value });
  return new AppError(fallback, { message: typeof value === "string" ? value : `Unexpected error: ${JSON.stringify(value)}` });
}

/** For exhaustive switches: TypeScript fails to compile when a case is missing. */
export function assertNever(value: never): never {
  throw new AppError("internal", { message: `Unhandled case: ${JSON.stringify(value)}` });
}
