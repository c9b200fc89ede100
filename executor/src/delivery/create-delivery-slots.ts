import { AppError } from "@mission-control/shared/errors";

/** Where a delivery the worker holds is. */
export type TSlotState =
  /** Its agent is answering, or its failure is being recorded. */
  | "running"
  /** Its reply waits for a save call, or is in one. */
  | "saving";

/**
 * The delivery worker's slots: which claimed deliveries it holds and in which state, and how many
 * slots claims in flight were promised. Every change asserts the invariants (a violation is a bug
 * and throws an `internal` AppError):
 * - a held delivery is in exactly one state, and every move names the state it leaves;
 * - `reserved` never drops below 0, and a reservation takes at most the free slots, so the worker's
 *   own claims keep held + reserved ≤ concurrency (the Control API's claimMessage may start a
 *   message's deliveries beyond that, at once, as before).
 */
export interface TDeliverySlots {
  readonly concurrency: number;
  /** Deliveries held (running or saving). */
  readonly held: number;
  /** Slots promised to claims in flight. */
  readonly reserved: number;
  /** Slots a claim may take now (never below 0). */
  free(): number;
  /** Slots a claim made along with saving `saving` held replies may take: theirs plus the free ones. */
  freeAlong(saving: number): number;
  /** The ids held now. */
  ids(): string[];
  stateOf(id: string): TSlotState | undefined;
  /** Asserts that delivery `id` is held in `state`. */
  check(id: string, state: TSlotState): void;
  /** A claimed delivery starts running. */
  take(id: string): void;
  /** Moves a held delivery from `from` to `to`. */
  move(id: string, from: TSlotState, to: TSlotState): void;
  /** Frees the slot of a delivery in `from`. */
  release(id: string, from: TSlotState): void;
  /** Frees the slot of a delivery whose processing ended: running, or already freed when its reply was saved. */
  end(id: string): void;
  /** Promises `count` free slots to a claim in flight. */
  reserve(count: number): void;
  /** Ends a reservation of `count` slots (its claim returned or failed). */
  unreserve(count: number): void;
}

/** Creates empty slots for `concurrency` deliveries at once. */
export function createDeliverySlots(concurrency: number): TDeliverySlots {
  const held = new Map<string, TSlotState>();
  let reserved = 0;

  const violated = (message: string): never => {
    throw new AppError("internal", { message: `Delivery worker invariant violated: ${message}` });
  };
  const assertIn = (id: string, state: TSlotState, doing: string) => {
    const current = held.get(id);
    if (current !== state) violated(`cannot ${doing} delivery ${id}: it is ${current ?? "not held"}, not ${state}`);
  };
  const free = () => Math.max(0, concurrency - held.size - reserved);

  return {
    concurrency,
    get held() {
      return held.size;
    },
    get reserved() {
      return reserved;
    },
    free,
    freeAlong: (saving) => Math.max(0, concurrency - held.size - reserved + saving),
    ids: () => [...held.keys()],
    stateOf: (id) => held.get(id),
    check(id, state) {
      assertIn(id, state, "check");
    },
    take(id) {
      if (held.has(id)) violated(`delivery ${id} was claimed again while it is ${held.get(id)}`);
      held.set(id, "running");
    },
    move(id, from, to) {
      assertIn(id, from, `move to ${to}`);
      held.set(id, to);
    },
    release(id, from) {
      assertIn(id, from, "release");
      held.delete(id);
    },
    end(id) {
      const state = held.get(id);
      if (state === "saving") violated(`delivery ${id} ended while its reply is being saved`);
      held.delete(id);
    },
    reserve(count) {
      if (count < 0 || count > free()) violated(`cannot reserve ${count} slots: ${free()} free of ${concurrency}`);
      reserved += count;
    },
    unreserve(count) {
      if (count < 0 || count > reserved) violated(`cannot end a reservation of ${count} slots: ${reserved} reserved`);
      reserved -= count;
    },
  };
}
