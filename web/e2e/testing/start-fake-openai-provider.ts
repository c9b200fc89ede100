import http from "node:http";

/** What the fake provider was asked, for assertions. */
export type TFakeProviderRequest = { model: string; system: string; stream: boolean };

/** A running fake OpenAI-compatible provider. */
export interface TFakeOpenAiProvider {
  /** Base URL up to and including `/v1`. */
  readonly baseUrl: string;
  /** The key it accepts (`Authorization: Bearer …`); any other is refused with 401. */
  readonly apiKey: string;
  /** Every chat completion it answered or refused, in order. */
  requests(): TFakeProviderRequest[];
  close(): Promise<void>;
}

const USAGE = { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 };

/**
 * An OpenAI-compatible `/v1/chat/completions` that a test controls: it accepts one key and the
 * models in `models`, answers 401 / 404 in OpenAI's words otherwise, streams when asked, and
 * answers "Fake model reply, signed <NAME>" where NAME comes from a "Sign off as NAME." line of the
 * system prompt (so a test sees an edited prompt change the next reply).
 */
export async function startFakeOpenAiProvider(options: { apiKey: string; models: string[] }): Promise<TFakeOpenAiProvider> {
  const seen: TFakeProviderRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        send(404, { error: { message: `Unknown path ${req.url}`, type: "invalid_request_error" } });
        return;
      }
      let body: { model?: string; stream?: boolean; messages?: { role: string; content: string }[] } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        send(400, { error: { message: "We could not parse the JSON body of your request.", type: "invalid_request_error" } });
        return;
      }
      const model = body.model ?? "";
      const system = (body.messages ?? [])
        .filter((message) => message.role === "system")
        .map((message) => message.content)
        .join("\n");
      seen.push({ model, system, stream: body.stream === true });
      if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
        send(401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" } });
        return;
      }
      if (!options.models.includes(model)) {
        send(404, {
          error: { message: `The model \`${model}\` does not exist or you do not have access to it.`, code: "model_not_found" },
        });
        return;
      }
      const signature = /Sign off as ([A-Za-z0-9_-]+)/.exec(system)?.[1] ?? "ANONYMOUS";
      const text = `Fake model reply, signed ${signature}`;
      if (body.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const event = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
        event({ id: "fake", model, choices: [{ index: 0, delta: { role: "assistant", content: text }, finish_reason: null }] });
        event({ id: "fake", model, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
        event({ id: "fake", model, choices: [], usage: USAGE });
        res.end("data: [DONE]\n\n");
        return;
      }
      send(200, {
        id: "fake",
        object: "chat.completion",
        model,
        choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
        usage: USAGE,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey: options.apiKey,
    requests: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
