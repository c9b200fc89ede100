/** The life of every loop the executor runs: created → starting → running → stopping → stopped. */
export type TWorkerState = "created" | "starting" | "running" | "stopping" | "stopped";
