import { z } from "zod";

// Rows arrive from PostgREST and from realtime payloads (the edge): parsed, never trusted. Unknown
// columns are dropped; `seq` comes as a JSON number from both, and is coerced in case it does not.

/** public.live_seq, renewed on every write: catch-up keeps the row with the higher one. */
export const seq = z.coerce.number();

/** A jsonb object column. */
export const jsonObject = z.record(z.string(), z.unknown());

/** A `numeric` column: a JSON number from PostgREST, possibly a string from realtime. */
export const numeric = z.coerce.number();

/** A nullable `numeric` column: null stays null (z.coerce alone would turn it into 0). */
export const nullableNumeric = z.preprocess(
  (value) => (value === null || value === undefined ? null : Number(value)),
  z.number().nullable(),
);
