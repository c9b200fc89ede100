import { z } from "zod";
import { PROVIDER_CONNECTION_KINDS } from "./column-enums.ts";

const ZHttpUrl = z
  .string()
  .trim()
  .url({ message: "must be an http(s) URL such as https://api.openai.com/v1 or http://127.0.0.1:11434/v1" })
  .regex(/^https?:\/\//i, "must start with http:// or https://");

/**
 * A provider connection as the operator writes it in Settings → Providers (the key is not part of
 * it: it goes to the executor once, through the Control API, and is stored encrypted). Rules:
 * an OpenAI-compatible connection needs a base URL; a CLI connection needs a command line and
 * runs inside the workspace with its timeout; Anthropic's base URL is optional.
 */
export const ZProviderConnectionInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
    kind: z.enum(PROVIDER_CONNECTION_KINDS),
    base_url: ZHttpUrl.nullable().default(null),
    /** Servers that need no key (Ollama, LM Studio, a local vLLM). */
    keyless: z.boolean().default(false),
    /** The model agents on this connection use unless their profile names another. */
    default_model: z.string().trim().min(1).max(200).nullable().default(null),
    /** The program to run, e.g. `claude -p` or `codex exec`: it reads the prompt on stdin and writes the answer to stdout. */
    cli_command: z.string().trim().min(1, "is required for a CLI agent").max(2000).nullable().default(null),
    cli_timeout_seconds: z.int().min(1, "must be at least 1 second").max(3600, "must be at most 3600 seconds").default(300),
  })
  .superRefine((value, ctx) => {
    if (value.kind === "openai_compatible" && !value.base_url) {
      ctx.addIssue({ code: "custom", path: ["base_url"], message: "is required for an OpenAI-compatible connection" });
    }
    if (value.kind === "cli" && !value.cli_command) {
      ctx.addIssue({ code: "custom", path: ["cli_command"], message: "is required for a CLI agent" });
    }
    if (value.kind !== "cli" && value.cli_command) {
      ctx.addIssue({ code: "custom", path: ["cli_command"], message: "is only used by CLI agents" });
    }
    if (value.kind === "cli" && value.base_url) {
      ctx.addIssue({ code: "custom", path: ["base_url"], message: "is not used by CLI agents" });
    }
  });
/** A provider connection as written (defaults optional). */
export type TProviderConnectionInput = z.input<typeof ZProviderConnectionInput>;
/** A provider connection, validated. */
export type TProviderConnection = z.output<typeof ZProviderConnectionInput>;

/** An API key as pasted by the operator (surrounding spaces are dropped). */
export const ZProviderApiKey = z.string().trim().min(8, "looks too short to be an API key").max(4000, "is too long to be an API key");
