import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/escalation/backoff-delay.ts';
import { GITHUB_WRITE_LIMITS } from '../../../src/escalation/sinks/github-issue-sink.ts';
import { WriteLimiter } from '../../../src/escalation/write-limiter.ts';

const T0 = Date.parse('2026-03-02T09:00:00Z');

describe('the write limiter', () => {
  it('spaces GitHub writes a second apart and stops at 80 a minute and 500 an hour', () => {
    const limiter = new WriteLimiter(new Map([['github', GITHUB_WRITE_LIMITS]]));
    let now = T0;
    const times: number[] = [];
    while (times.length < 600) {
      const at = limiter.nextWriteAt('github', now);
      now = at;
      limiter.record('github', now);
      times.push(now);
    }
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
    const mostIn = (windowMs: number) =>
      Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
    expect(mostIn(60_000)).toBe(60); // one a second is the binding limit within a minute
    expect(mostIn(60 * 60_000)).toBe(500);
  });

  it('lets 80 writes through in a minute when they are not spaced, then makes the 81st wait', () => {
    const limiter = new WriteLimiter(new Map([['github', { perMinute: 80 }]]));
    for (let i = 0; i < 80; i++) {
      expect(limiter.nextWriteAt('github', T0 + i)).toBe(T0 + i);
      limiter.record('github', T0 + i);
    }
    expect(limiter.nextWriteAt('github', T0 + 100)).toBe(T0 + 60_000);
  });

  it('holds a sink that was told to wait, and leaves the others alone', () => {
    const limiter = new WriteLimiter(new Map());
    limiter.pause('jira', T0 + 30_000);
    expect(limiter.nextWriteAt('jira', T0)).toBe(T0 + 30_000);
    expect(limiter.nextWriteAt('webhook', T0)).toBe(T0);
  });
});

describe('the backoff', () => {
  it('doubles from the base up to the cap, with half of each wait left to chance', () => {
    const lowest = (attempt: number) => backoffDelay(attempt, { baseMs: 1_000, maxMs: 60_000 }, () => 0);
    const highest = (attempt: number) => backoffDelay(attempt, { baseMs: 1_000, maxMs: 60_000 }, () => 1);
    expect([1, 2, 3, 4].map(highest)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect([1, 2, 3, 4].map(lowest)).toEqual([500, 1_000, 2_000, 4_000]);
    expect(highest(30)).toBe(60_000);
    expect(lowest(30)).toBe(30_000);
  });
});
