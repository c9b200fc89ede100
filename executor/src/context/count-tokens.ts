import { countTokens as countWithEncoder, decode, encode } from "gpt-tokenizer/encoding/o200k_base";
import type { TChatMessage } from "../providers/provider-types.ts";

/**
 * Tokens a chat message costs beyond its text (role marker and separators, as in OpenAI's chat
 * format). Other providers differ slightly; this is a budget estimate, not a bill.
 */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** Special-token markers in user text are counted as plain text instead of throwing. */
const ENCODE_OPTIONS = { disallowedSpecial: new Set<string>() };

const CACHE_MAX_ENTRIES = 4096;
const CACHE_MIN_CHARS = 64;
const CACHE_MAX_CHARS = 256 * 1024;
const cache = new Map<string, number>();

/**
 * Counts the tokens of `text` with the o200k_base encoding (GPT-4o family), the one counter used by
 * context assembly and by providers that report no usage. Long strings that recur (system prompts,
 * mission, history) are remembered in a small LRU so that assembling context per message stays cheap.
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length < CACHE_MIN_CHARS || text.length > CACHE_MAX_CHARS) return countWithEncoder(text, ENCODE_OPTIONS);
  const hit = cache.get(text);
  if (hit !== undefined) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const count = countWithEncoder(text, ENCODE_OPTIONS);
  cache.set(text, count);
  if (cache.size > CACHE_MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return count;
}

/** Tokens of one chat message: its text plus the per-message overhead. */
export function countMessageTokens(message: TChatMessage): number {
  return countTokens(message.content) + MESSAGE_OVERHEAD_TOKENS;
}

/** Tokens of a whole prompt: every message plus overhead. */
export function countChatTokens(messages: readonly TChatMessage[]): number {
  let total = 0;
  for (const message of messages) total += countMessageTokens(message);
  return total;
}

/**
 * The longest prefix of `text` that is at most `maxTokens` tokens. Cuts on a token boundary, so the
 * prefix can end mid-word.
 */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return "";
  const tokens = encode(text, ENCODE_OPTIONS);
  if (tokens.length <= maxTokens) return text;
  let keep = maxTokens;
  let prefix = decode(tokens.slice(0, keep));
  // Decoding a cut multi-byte character yields U+FFFD, and re-encoding may then cost more: shrink until it fits.
  while (keep > 0 && (prefix.endsWith("\uFFFD") || countWithEncoder(prefix, ENCODE_OPTIONS) > maxTokens)) {
    keep -= 1;
    prefix = decode(tokens.slice(0, keep));
  }
  return prefix;
}
