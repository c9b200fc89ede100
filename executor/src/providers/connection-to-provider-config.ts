import { AppError } from "@mission-control/shared/errors";
import { ZProviderConnection } from "@mission-control/shared/rows";
import { z } from "zod";
import { decryptProviderKey } from "../keys/decrypt-provider-key.ts";
import type { TKeks } from "../keys/provider-keks.ts";
import { parseCliCommand } from "./parse-cli-command.ts";
import { type TProviderConfig, ZProviderConfig } from "./provider-types.ts";

/**
 * A provider_connections row as the executor reads it with the service role, with the ciphertext
 * of its key from provider_connection_secrets (null when no key is stored). Decode
 * `load_chat_delivery_context`'s `connections` and the Control API's reads with it.
 */
export const ZConnectionWithSecret = ZProviderConnection.pick({
  id: true,
  name: true,
  kind: true,
  base_url: true,
  keyless: true,
  default_model: true,
  cli_command: true,
}).extend({
  cli_timeout_seconds: z.number().int().positive(),
  ciphertext: z.string().nullable().default(null),
});
/** A provider connection with its key's ciphertext. */
export type TConnectionWithSecret = z.infer<typeof ZConnectionWithSecret>;
/** A provider connection with its key's ciphertext, as read (ciphertext may be absent). */
export type TConnectionWithSecretInput = z.input<typeof ZConnectionWithSecret>;

/**
 * What a connection resolves to: the provider configuration to call (with the connection's default
 * model), or, when it cannot be used, the reason in words for the operator (what is wrong and
 * where to fix it); the caller then falls back to the built-in model or reports the reason.
 */
export type TConnectionProvider =
  | { config: TProviderConfig; defaultModel: string | null; reason: null }
  | { config: null; defaultModel: string | null; reason: string };

/**
 * Turns a provider connection into a provider configuration: decrypts its key with `keks` (its id
 * is the key's additional authenticated data), and runs a CLI agent in `workspaceDir` with the
 * connection's timeout. A missing key (unless keyless), a key this executor cannot decrypt, or an
 * invalid setting gives a reason instead. The key never appears in a reason.
 */
export function connectionToProviderConfig(
  row: TConnectionWithSecretInput,
  options: { keks: TKeks; workspaceDir: string },
): TConnectionProvider {
  const connection = ZConnectionWithSecret.parse(row);
  const defaultModel = connection.default_model;
  const named = `Provider connection "${connection.name}"`;
  const unusable = (reason: string): TConnectionProvider => ({ config: null, defaultModel, reason });

  let candidate: Record<string, unknown>;
  if (connection.kind === "cli") {
    if (!connection.cli_command) return unusable(`${named} has no command line: write one in Settings → Providers`);
    try {
      parseCliCommand(connection.cli_command);
    } catch (err) {
      return unusable(`${named} cannot run: ${(err as Error).message}`);
    }
    candidate = {
      kind: "cli",
      name: connection.name,
      command: connection.cli_command,
      timeoutMs: connection.cli_timeout_seconds * 1000,
      cwd: options.workspaceDir,
    };
  } else {
    let apiKey: string | undefined;
    if (connection.ciphertext !== null) {
      try {
        apiKey = decryptProviderKey(connection.ciphertext, { keks: options.keks, aad: connection.id });
      } catch (err) {
        const why = err instanceof AppError ? err.message : "its key could not be decrypted";
        return unusable(`${named} has a stored key this executor cannot use. ${why}`);
      }
    } else if (!connection.keyless) {
      return unusable(
        `${named} has no API key: set one with "Set key" in Settings → Providers, or mark a local server (Ollama, LM Studio, vLLM) as keyless`,
      );
    }
    candidate =
      connection.kind === "openai_compatible"
        ? { kind: "openai_compatible", name: connection.name, baseUrl: connection.base_url, apiKey, keyless: connection.keyless }
        : { kind: "anthropic", name: connection.name, apiKey, ...(connection.base_url ? { baseUrl: connection.base_url } : {}) };
  }
  const parsed = ZProviderConfig.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return unusable(
      `${named} is misconfigured at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}. Fix it in Settings → Providers`,
    );
  }
  return { config: parsed.data, defaultModel, reason: null };
}
