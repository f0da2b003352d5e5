/** Nearest-rank percentile of sorted samples (`p` in 0–100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export interface Summary {
  count: number;
  median: number;
  p99: number;
  mean: number;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, s) => sum + s, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, median: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

/** Microseconds as the table shows them: µs below a millisecond, ms above. */
export function formatMicros(us: number): string {
  if (!Number.isFinite(us)) return 'n/a';
  return us < 1_000 ? `${Math.round(us)} µs` : `${(us / 1_000).toFixed(us < 10_000 ? 2 : 1)} ms`;
}

export function formatMegabytes(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes) ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`;
}
