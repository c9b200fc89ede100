import pino, { type DestinationStream, type LevelWithSilent, type Logger } from "pino";

/** Paths pino blanks out wherever they appear in a log line: keys, ciphertexts, tokens, auth headers. */
export const REDACTED_PATHS = [
  "apiKey",
  "*.apiKey",
  "*.*.apiKey",
  "api_key",
  "*.api_key",
  "*.*.api_key",
  "ciphertext",
  "*.ciphertext",
  "*.*.ciphertext",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  "SUPABASE_SERVICE_ROLE_KEY",
  "*.SUPABASE_SERVICE_ROLE_KEY",
  "OPENAI_API_KEY",
  "*.OPENAI_API_KEY",
  "ANTHROPIC_API_KEY",
  "*.ANTHROPIC_API_KEY",
  "PROVIDER_KEY_ENCRYPTION_KEY",
  "*.PROVIDER_KEY_ENCRYPTION_KEY",
  "PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS",
  "*.PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS",
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
