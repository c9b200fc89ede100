import type { TRecordedRequest } from "../../testing/start-fake-server.ts";

/** A tool call a fake provider makes: `arguments` is sent as JSON, or as is when it is a string (to send text that is not JSON). */
export type TFakeToolCall = { id?: string; name: string; arguments: unknown };

/** What a fake provider answers to one request: text and/or tool calls, or nothing at all (`hang`) until the client gives up. */
export type TFakeToolTurn =
  | { text?: string; toolCalls?: TFakeToolCall[]; usage?: { input: number; output: number } }
  | { hang: true }
  | { status: number; error: string };

/** The turns a fake answers: a list used in order (the last one repeats), or a function of the request. */
export type TFakeToolScript = readonly TFakeToolTurn[] | ((request: TRecordedRequest, index: number) => TFakeToolTurn);

/** Picks the turn that answers request number `index` (from 0). */
export function pickTurn(script: TFakeToolScript, request: TRecordedRequest, index: number): TFakeToolTurn {
  if (typeof script === "function") return script(request, index);
  const list = script as readonly TFakeToolTurn[];
  const turn = list[Math.min(index, list.length - 1)];
  if (!turn) throw new Error("The fake provider's script has no turns");
  return turn;
}

/** A running fake provider that calls tools. */
export type TFakeToolServer = {
  /** What to put in the provider's `baseUrl`. */
  baseUrl: string;
  /** Every request received, bodies parsed. */
  requests: TRecordedRequest[];
  /** Resolves with the n-th request (from 1) once it has arrived. */
  waitForRequest(n: number): Promise<TRecordedRequest>;
  /** Resolves when a client closes its connection before the answer was complete. */
  clientAborted: Promise<void>;
  close(): Promise<void>;
};

/** Resolves waiters as requests arrive: the part of TFakeToolServer every fake shares. */
export function createRequestWaiters(requests: TRecordedRequest[]): {
  arrived: () => void;
  waitForRequest: (n: number) => Promise<TRecordedRequest>;
} {
  const waiters: { n: number; resolve: (request: TRecordedRequest) => void }[] = [];
  const settle = () => {
    for (const waiter of [...waiters]) {
      const request = requests[waiter.n - 1];
      if (!request) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(request);
    }
  };
  return {
    arrived: settle,
    waitForRequest: (n) =>
      new Promise((resolve) => {
        waiters.push({ n, resolve });
        settle();
      }),
  };
}

/** The JSON body of the n-th request (from 0) a fake received; fails the test when there is none. */
export function requestBody<T = Record<string, unknown>>(server: TFakeToolServer, index: number): T {
  const request = server.requests[index];
  if (!request) throw new Error(`The fake provider received ${server.requests.length} requests, not ${index + 1}`);
  return request.body as T;
}
