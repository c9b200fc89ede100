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
  /** Only for dayKey: fields in a fixed order whatever the locale. */
  isoDay: { year: "numeric", month: "2-digit", day: "2-digit" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/** One of the date and time styles the dashboard shows. */
export type TTimeStyle = keyof typeof STYLES;

/**
 * Whose locale and time zone to format in; unset fields are the runtime's own. A page the server
 * rendered formats in the clock the browser mirrored (session-cookie.ts), on the server and in the
 * browser alike (features/ui/clock.tsx), so both render the same text.
 */
export interface TFormatClock {
  locale?: string | undefined;
  timeZone?: string | undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Formats an ISO timestamp or epoch milliseconds in `style`, in `clock`'s locale and time zone. */
export function formatTime(value: string | number | Date, style: TTimeStyle, clock: TFormatClock = {}): string {
  const key = `${style}|${clock.locale ?? ""}|${clock.timeZone ?? ""}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(clock.locale, { ...STYLES[style], ...(clock.timeZone ? { timeZone: clock.timeZone } : {}) });
    formatters.set(key, formatter);
  }
  return formatter.format(value instanceof Date ? value : new Date(value));
}

/** The calendar day of `value` in `clock`'s time zone ("2026-12-02"), to tell today from other days. */
export function dayKey(value: string | number | Date, clock: TFormatClock = {}): string {
  return formatTime(value, "isoDay", clock);
}
