/**
 * Dates and times in the reader's locale, through one `Intl.DateTimeFormat` per style, made once.
 * (`Date#toLocaleString` with options builds a new formatter on every call: a feed re-rendering
 * its rows under 50 live inserts a second spent most of its time there.)
 */
const STYLES = {
  /** "Dec 2, 09:14" */
  dayTime: { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" },
  /** "Dec 2, 09:14:05" */
  dayTimeSeconds: { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" },
  /** "Dec 2" */
  day: { month: "short", day: "numeric" },
  /** "09:14" */
  time: { hour: "2-digit", minute: "2-digit" },
  /** "09:14:05" */
  timeSeconds: { hour: "2-digit", minute: "2-digit", second: "2-digit" },
  /** "12/2/2026" */
  date: {},
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/** One of the date and time styles the dashboard shows. */
export type TTimeStyle = keyof typeof STYLES;

const formatters = new Map<TTimeStyle, Intl.DateTimeFormat>();

/** Formats an ISO timestamp or epoch milliseconds in `style`. */
export function formatTime(value: string | number | Date, style: TTimeStyle): string {
  let formatter = formatters.get(style);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, STYLES[style]);
    formatters.set(style, formatter);
  }
  return formatter.format(value instanceof Date ? value : new Date(value));
}
