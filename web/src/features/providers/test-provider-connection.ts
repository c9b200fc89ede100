import type { TTestProviderAnswer } from "@mission-control/shared/control-api";
import { callProviderRoute, type TProviderRouteOptions } from "./call-provider-route.ts";

/**
 * Asks the executor to make one small request with the connection's stored key ("Test
 * connection"). A provider that refuses is an answer (`ok` false with its error in words), not a
 * thrown error; only a Control API failure throws.
 */
export function testProviderConnection(options: TProviderRouteOptions & { connectionId: string }): Promise<TTestProviderAnswer> {
  return callProviderRoute(options, "test the connection", (client) =>
    client.testProvider({ accessToken: options.accessToken, connectionId: options.connectionId }),
  );
}

/** The one-line result of a test: "OK · gpt-4o-mini · 420 ms · “OK”", or the provider's error. */
export function describeTestAnswer(answer: TTestProviderAnswer): string {
  if (!answer.ok) return answer.message;
  const parts = ["OK"];
  if (answer.model) parts.push(answer.model);
  if (answer.latency_ms !== null) parts.push(`${Math.round(answer.latency_ms)} ms`);
  const reply = answer.reply?.trim();
  if (reply) parts.push(`“${reply.length > 120 ? `${reply.slice(0, 120)}…` : reply}”`);
  return parts.join(" · ");
}
