/**
 * What the palette can ask a page to do on arrival, as `?do=<intent>`: the page opens the form,
 * then drops the parameter (so Back or a reload does not open it again).
 */
export type TPageIntent = "new-task" | "start-run";
