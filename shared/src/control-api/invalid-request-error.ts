import type { z } from "zod";
import { AppError } from "../errors/index.ts";

/** A schema's complaints in one line: `path: message; …` (`body` for the whole value). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}

/**
 * The `invalid_input` error for a request whose path parameters or body fail their schema. The
 * server answers it with 400 and the client throws it before sending, worded the same on both sides.
 */
export function invalidRequestError(part: "params" | "body", error: z.ZodError): AppError {
  if (part === "params") return new AppError("invalid_input", { message: error.issues.map((issue) => issue.message).join("; ") });
  return new AppError("invalid_input", { message: `The request body is invalid: ${describeIssues(error)}` });
}
