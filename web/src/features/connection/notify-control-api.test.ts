import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { notifyControlApi } from "./notify-control-api.ts";

const MESSAGE_ID = "11111111-2222-4333-8444-555555555555";
const base = { controlApiUrl: "http://control", accessToken: "jwt", messageId: MESSAGE_ID };

describe("notifyControlApi", () => {
  it("posts the message id to the deliver route with the user's token", async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    await notifyControlApi({
      ...base,
      fetch: async (url, init) => {
        calls.push({ url: String(url), init });
        return new Response(JSON.stringify({ message_id: MESSAGE_ID, claimed: [] }), { status: 202 });
      },
    });
    expect(calls[0]?.url).toBe("http://control/api/chat/deliver");
    expect(calls[0]?.init?.method).toBe("POST");
    expect(calls[0]?.init?.headers).toMatchObject({ authorization: "Bearer jwt" });
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ message_id: MESSAGE_ID });
  });

  it("treats a refusal as unreachable, naming the status: the message stays queued", async () => {
    const envelope = { error: { code: "control_api_unreachable", message: "The executor is shutting down" } };
    const err = await notifyControlApi({ ...base, fetch: async () => new Response(JSON.stringify(envelope), { status: 503 }) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "control_api_unreachable", details: { status: 503 } });
    expect((err as Error).message).toMatch(/^Control API answered HTTP 503 at http:\/\/control: the message is queued .*shutting down/);
  });

  it("counts a 2xx whose body it cannot read as taken: any executor that answered 2xx claimed the message", async () => {
    await expect(
      notifyControlApi({ ...base, fetch: async () => new Response(JSON.stringify({ accepted: true }), { status: 202 }) }),
    ).resolves.toBeUndefined();
  });

  it("treats a network error as unreachable", async () => {
    const err = await notifyControlApi({
      ...base,
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "control_api_unreachable",
      message: "Control API unreachable at http://control: the message is queued and will run when the executor is back.",
    });
  });
});
