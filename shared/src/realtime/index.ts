export { describeDrift, diffPublication, hasNoDrift, type TPublicationDrift, type TPublishedTable } from "./diff-publication.ts";
export { REALTIME_PUBLICATION, REALTIME_TABLES, type TRealtimeTable } from "./realtime-tables.ts";
