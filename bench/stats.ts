/** The upper median (the middle element, the higher one of an even count; NaN when empty), shared by the bench areas. */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
