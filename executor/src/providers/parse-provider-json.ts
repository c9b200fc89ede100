import { AppError } from "@mission-control/shared/errors";
import type { z } from "zod";

/**
 * Parses provider output as JSON and validates it with `schema`. Anything else becomes
 * `provider_bad_response` naming what was wrong (not JSON, or which field had which problem).
 */
export function parseProviderJson<T>(
  text: string,
  schema: z.ZodType<T>,
  where: { label: string; what: string; secrets: readonly string[] },
): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("provider_bad_response", {
      message: `${where.label} sent ${where.what} that is not valid JSON (starts with ${JSON.stringify(preview(text, where.secrets))}): check that the base URL points at the right kind of server, then try again`,
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join(".") : "(root)";
    throw new AppError("provider_bad_response", {
      message: `${where.label} sent ${where.what} of an unexpected shape (${path}: ${issue?.message ?? "invalid"}): check that the base URL points at the right kind of server, then try again`,
      details: { path },
    });
  }
  return parsed.data;
}

function preview(text: string, secrets: readonly string[]): string {
  let out = text.slice(0, 80);
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}
