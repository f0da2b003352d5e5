import { describe, expect, it } from 'vitest';
import {
  TEAMS_CONVERSATION_LIMITS,
  TeamsRateLimiter,
} from '../../../../src/adapters/teams/teams-rate-limiter.ts';

/** A limiter on a clock the test moves, and a sender that waits as told and records when it sent. */
function paced() {
  let now = 1_000_000;
  const limiter = new TeamsRateLimiter({ now: () => now });
  const sentAt: number[] = [];
  return {
    limiter,
    sentAt,
    /** Asks for `count` slots at once, as racing callers would; returns each wait. */
    burst(count: number, conversation = 'a:1') {
      return Array.from({ length: count }, () => {
        const wait = limiter.reserve(conversation);
        sentAt.push(now + wait);
        return wait;
      });
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('the per-conversation rate limiter', () => {
  it('lets seven go at once and holds the eighth until the first leaves the one-second window', () => {
    const p = paced();
    expect(p.burst(8)).toEqual([0, 0, 0, 0, 0, 0, 0, 1_000]);
  });

  it('holds the ninth until the two-second window allows it (eight per two seconds)', () => {
    const p = paced();
    expect(p.burst(9).slice(7)).toEqual([1_000, 2_000]);
  });

  it('never books more than any Teams window allows, over a long burst', () => {
    const p = paced();
    p.burst(200);
    for (const { windowMs, max } of TEAMS_CONVERSATION_LIMITS) {
      for (const start of p.sentAt) {
        const inWindow = p.sentAt.filter((t) => t >= start && t < start + windowMs).length;
        expect(inWindow, `${inWindow} sends in ${windowMs} ms from ${start}`).toBeLessThanOrEqual(max);
      }
    }
    // 60 per 30 s is the binding limit over a long run: the 61st waits for the first to age out.
    expect((p.sentAt[60] ?? 0) - (p.sentAt[0] ?? 0)).toBeGreaterThanOrEqual(30_000);
  });

  it('keeps the order of asking', () => {
    const p = paced();
    p.burst(30);
    expect([...p.sentAt].sort((a, b) => a - b)).toEqual(p.sentAt);
  });

  it('paces each conversation on its own', () => {
    const p = paced();
    p.burst(7, 'a:1');
    expect(p.burst(7, '19:x@thread.v2')).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(p.burst(1, 'a:1')).toEqual([1_000]);
  });

  it('forgets sends older than the longest window', () => {
    const p = paced();
    p.burst(60);
    p.advance(60_000);
    expect(p.burst(7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
