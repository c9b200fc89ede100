import { AppError } from "@mission-control/shared/errors";

/** The fields of a PostgREST error this dashboard reads. */
export interface TPostgrestErrorLike {
  code?: string;
  message: string;
}

/**
 * Turns a refused write into an AppError that says what to do: RLS (42501) → only owners and
 * operators may; a unique violation (23505) → `conflict`; a foreign key (23503) → `inUse`; a check
 * (23514) → the database's words; anything else → the connection may be down.
 */
export function databaseWriteError(
  error: TPostgrestErrorLike,
  words: { what: string; conflict?: string; inUse?: string; forbidden?: string },
): AppError {
  if (error.code === "42501" || /row-level security/i.test(error.message)) {
    return new AppError("forbidden", {
      message: words.forbidden ?? `Only owners and operators can change ${words.what}: ask an owner for the operator role.`,
      cause: error,
    });
  }
  if (error.code === "23505") {
    return new AppError("conflict", { message: words.conflict ?? `That ${words.what} already exists: edit it instead.`, cause: error });
  }
  if (error.code === "23503") {
    return new AppError("conflict", {
      message: words.inUse ?? `This ${words.what} is still in use: remove what uses it first.`,
      cause: error,
    });
  }
  if (error.code === "23514" || error.code === "22P02" || error.code === "23502") {
    return new AppError("invalid_input", { message: `The database refused the ${words.what}: ${error.message}.`, cause: error });
  }
  return new AppError("database_unreachable", { message: `Could not save the ${words.what}: ${error.message}.`, cause: error });
}
