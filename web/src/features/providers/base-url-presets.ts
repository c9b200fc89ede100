/** A well-known OpenAI-compatible server: what its base URL usually is and whether it needs a key. */
export interface TBaseUrlPreset {
  label: string;
  baseUrl: string;
  keyless: boolean;
}

/**
 * Presets for an OpenAI-compatible connection's base URL. The local servers listen on their
 * default ports on this machine; the executor makes the calls, so "local" means the executor's host.
 */
export const BASE_URL_PRESETS: readonly TBaseUrlPreset[] = [
  { label: "OpenAI", baseUrl: "https://api.openai.com/v1", keyless: false },
  { label: "OpenRouter", baseUrl: "https://openrouter.ai/api/v1", keyless: false },
  { label: "Ollama", baseUrl: "http://127.0.0.1:11434/v1", keyless: true },
  { label: "LM Studio", baseUrl: "http://127.0.0.1:1234/v1", keyless: true },
  { label: "vLLM", baseUrl: "http://127.0.0.1:8000/v1", keyless: true },
];
