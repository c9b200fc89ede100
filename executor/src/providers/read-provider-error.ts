import { z } from "zod";

const ZErrorBody = z.union([
  // OpenAI, OpenRouter, LM Studio, Anthropic ({ type: "error", error: { type, message } })
  z.object({ error: z.object({ message: z.string(), type: z.string().nullish(), code: z.unknown().optional() }) }),
  // Ollama
  z.object({ error: z.string() }),
  // vLLM and other servers ({ object: "error", message }) or FastAPI ({ detail })
  z.object({ message: z.string() }),
  z.object({ detail: z.string() }),
]);

const MAX_MESSAGE_CHARS = 500;

/** A base URL fit for messages: credentials in the URL and the query string (where some gateways put keys) are dropped. */
export function displayBaseUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = "";
    url.password = "";
    url.search = "";
    url.hash = "";
    return url.toString().replace(/\/+$/, "");
  } catch {
    return "(invalid URL)";
  }
}

/** Keys to keep out of messages: the API key and the values of auth-looking extra headers. */
export function collectSecrets(apiKey: string | undefined, headers: Record<string, string>): string[] {
  const secrets = apiKey ? [apiKey] : [];
  for (const [name, value] of Object.entries(headers)) {
    if (/auth|key|token|secret/i.test(name)) secrets.push(value, value.replace(/^Bearer\s+/i, ""));
  }
  return secrets;
}

/** Replaces every secret (and anything shaped like an API key) in `text` with "[redacted]". */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out.replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, "$1-[redacted]");
}

/**
 * Extracts the provider's own error message from an error response body (OpenAI, Anthropic, Ollama,
 * vLLM shapes), falling back to the start of the body; secrets are redacted.
 */
export function readProviderErrorMessage(bodyText: string, secrets: readonly string[]): string {
  let message = bodyText.trim();
  try {
    const parsed = ZErrorBody.safeParse(JSON.parse(bodyText));
    if (parsed.success) {
      const body = parsed.data;
      if ("error" in body) message = typeof body.error === "string" ? body.error : body.error.message;
      else if ("message" in body) message = body.message;
      else message = body.detail;
    }
  } catch {
    // not JSON: keep the raw text
  }
  if (message.length > MAX_MESSAGE_CHARS) message = `${message.slice(0, MAX_MESSAGE_CHARS)}…`;
  return redactSecrets(message || "(empty body)", secrets);
}

/** What the operator should do about a non-retryable HTTP status. */
export function adviseOnStatus(status: number, where: { label: string; baseUrl: string; model: string }): string {
  switch (status) {
    case 401:
      return `check the API key for ${where.label} in the provider settings`;
    case 403:
      return `the key for ${where.label} is not allowed to use model "${where.model}": check its permissions or pick another model`;
    case 404:
      return `check the base URL (${where.baseUrl}) and the model name "${where.model}"`;
    case 413:
      return "the request is too large: lower the agent's max context tokens";
    default:
      return `the provider rejected the request: check the model name "${where.model}" and the agent's settings`;
  }
}
