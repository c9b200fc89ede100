import pino, { type DestinationStream, type LevelWithSilent, type Logger } from "pino";

/** Paths pino blanks out wherever they appear in a log line: keys, tokens, auth headers. */
export const REDACTED_PATHS = [
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "SUPABASE_SERVICE_ROLE_KEY",
  "*.SUPABASE_SERVICE_ROLE_KEY",
  "OPENAI_API_KEY",
  "*.OPENAI_API_KEY",
  "ANTHROPIC_API_KEY",
  "*.ANTHROPIC_API_KEY",
];

/** The executor's root logger: data first, keys redacted. Child loggers carry ids per job. */
export function createLogger(options: { level: LevelWithSilent; executorId: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { executorId: options.executorId },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    options.destination,
  );
}
