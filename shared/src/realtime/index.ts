export { REALTIME_PUBLICATION, REALTIME_TABLES, type TRealtimeTable } from "./realtime-tables.ts";
