const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** `512 B`, `1.5 KB`, `16 GB` (powers of 1024, as `free` and `df -h` count). */
export function bytesText(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = Number.isInteger(value) || unit === 0 ? String(Math.round(value)) : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}
