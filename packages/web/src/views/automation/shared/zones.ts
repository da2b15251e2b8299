/** Time zones the schedule form offers; any other IANA name can be typed in. */
const COMMON_ZONES = [
  'UTC',
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Singapore',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Moscow',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Australia/Sydney',
] as const;

/** The zone this browser is in (`UTC` when it cannot say). */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The common zones, with the browser's own and `extra` (a schedule's) first when they are not among them. */
export function zoneOptions(extra: string | null = null): { value: string; label: string }[] {
  const zones = new Set<string>([browserZone(), ...(extra ? [extra] : []), ...COMMON_ZONES]);
  return [...zones].map((z) => ({ value: z, label: z }));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A fire time as the clock in `zone` shows it, in the console's language: `2026-05-02 02:00:00 周六`. */
export function zonedTime(iso: string, zone: string, locale: string): string {
  const key = `${zone}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        weekday: 'short',
        hour12: false,
      });
    } catch {
      return iso;
    }
    formatters.set(key, f);
  }
  return f.format(new Date(iso));
}
