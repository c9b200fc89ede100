import { z } from "zod";
import { APP_ERROR_CODES } from "../errors/index.ts";

/** One of the closed AppError codes (`@mission-control/shared/errors`). */
export const ZAppErrorCode = z.enum(APP_ERROR_CODES);

/** Every Control API error answer: `{ error: { code, message } }`, the message saying what to do next. */
export const ZErrorEnvelope = z.object({ error: z.object({ code: ZAppErrorCode, message: z.string() }) });
/** Every Control API error answer. */
export type TErrorEnvelope = z.infer<typeof ZErrorEnvelope>;
