import type { DurationUnit } from './flow-schema.ts';

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)(?![a-z])/gy;

/**
 * Reads a duration as people write it (`5m`, `1h30m`, `3600000ms`, `90 s`) into milliseconds.
 * A bare number is read in `bareUnit` when one is given. Returns `undefined` for anything else.
 */
export function parseDuration(text: string, bareUnit?: DurationUnit): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return bareUnit === undefined ? undefined : Math.round(Number(trimmed) * UNIT_MS[bareUnit]);
  }
  let total = 0;
  let index = 0;
  const compact = trimmed.replace(/\s+/g, '');
  PART.lastIndex = 0;
  while (index < compact.length) {
    PART.lastIndex = index;
    const match = PART.exec(compact);
    if (match === null) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
    index = PART.lastIndex;
  }
  return Math.round(total);
}

const DISPLAY: ReadonlyArray<[string, number]> = [
  ['d', UNIT_MS.d],
  ['h', UNIT_MS.h],
  ['m', UNIT_MS.m],
  ['s', UNIT_MS.s],
  ['ms', 1],
];

/** Formats milliseconds compactly, largest units first: `1h 30m`, `3d 4h`, `750ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  const parts: string[] = [];
  for (const [unit, size] of DISPLAY) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${unit}`);
      rest -= count * size;
    }
  }
  return parts.join(' ');
}
