import type { IncomingMessage } from "node:http";
import { invalidRequestError } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { z } from "zod";

const MAX_BODY_BYTES = 64 * 1024;

/** Reads the request body as JSON (at most 64 KiB) and validates it with `schema`; throws `invalid_input` saying what is wrong. */
export async function readJsonBody<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.infer<T>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new AppError("invalid_input", { message: `The request body is larger than ${MAX_BODY_BYTES} bytes` });
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let value: unknown;
  try {
    value = text.trim() === "" ? undefined : JSON.parse(text);
  } catch {
    throw new AppError("invalid_input", { message: 'The request body is not valid JSON: send a JSON object such as {"message_id": "…"}' });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequestError("body", parsed.error);
  return parsed.data;
}
