// The delivery pipeline's parts, for the pickup benchmark (`@mission-control/executor/delivery`),
// which drives them without a whole executor.
export { claimDeliveries } from "./claim-deliveries.ts";
export { createDeliveryWorker } from "./create-delivery-worker.ts";
export type { TClaimedDelivery } from "./decode-claimed-delivery.ts";
export type { TProcessed } from "./process-delivery.ts";
export { subscribeDeliveryWakeups } from "./subscribe-delivery-wakeups.ts";
