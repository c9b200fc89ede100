import type { TDeliveryInput } from "../delivery/decode-claimed-delivery.ts";

/** The one line the roster shows while an agent answers: "Replying to Ada in DM". */
export function describeCurrentAction(input: Pick<TDeliveryInput, "thread">, operatorName: string): string {
  switch (input.thread.kind) {
    case "dm":
      return `Replying to ${operatorName} in DM`;
    case "team_room":
      return `Replying to ${operatorName} in the Team Room`;
    default:
      return `Replying to ${operatorName} in ${input.thread.title || input.thread.thread_key}`;
  }
}
