import { describe, expect, it } from 'vitest';
import {
  type BackoffPolicy,
  parseRetryAfter,
  retryDelayMs,
  sendWithBackoff,
} from '../../../../src/adapters/teams/send-with-backoff.ts';

const POLICY: BackoffPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};
const NOW = Date.parse('2026-03-02T09:00:00Z');

function response(status: number, retryAfter?: string) {
  return {
    status,
    headers: { get: (name: string) => (name === 'retry-after' ? (retryAfter ?? null) : null) },
  };
}

/** Answers with `statuses` in turn and records the waits asked for. */
function scripted(...answers: Array<ReturnType<typeof response>>) {
  const waits: number[] = [];
  let sent = 0;
  const send = async () => {
    const answer = answers[Math.min(sent, answers.length - 1)];
    sent++;
    if (!answer) throw new Error('no answer scripted');
    return answer;
  };
  const options = {
    policy: POLICY,
    random: () => 0.5,
    now: () => NOW,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
  return { send, options, waits, sent: () => sent };
}

describe('sending with backoff', () => {
  it('waits as long as Retry-After says (plus a little jitter) and returns the answer that follows', async () => {
    const s = scripted(response(429, '2'), response(201));

    const answer = await sendWithBackoff(s.send, s.options);

    expect(answer.status).toBe(201);
    expect(s.sent()).toBe(2);
    expect(s.waits).toEqual([2_000 + Math.floor((0.5 * 500) / 4)]);
  });

  it('retries 412, 502 and 504 with exponential backoff and equal jitter', async () => {
    const s = scripted(response(412), response(502), response(504), response(200));

    await sendWithBackoff(s.send, s.options);

    // Steps of 500, 1000 and 2000 ms: half fixed, half random (0.5 here).
    expect(s.waits).toEqual([375, 750, 1_500]);
  });

  it('keeps the wait between half the step and the whole step, and caps the step', () => {
    const at = (attempt: number, random: number) =>
      retryDelayMs(response(502), attempt, { policy: POLICY, random: () => random, now: () => NOW });
    expect([at(1, 0), at(1, 0.999_999)]).toEqual([250, 499]);
    expect([at(4, 0), at(4, 0.999_999)]).toEqual([2_000, 3_999]);
    const capped = retryDelayMs(response(502), 9, {
      policy: { ...POLICY, maxAttempts: 20 },
      random: () => 0,
      now: () => NOW,
    });
    expect(capped).toBe(4_000);
  });

  it('gives up after the last attempt and returns the last answer', async () => {
    const s = scripted(response(429));

    const answer = await sendWithBackoff(s.send, s.options);

    expect(answer.status).toBe(429);
    expect(s.sent()).toBe(POLICY.maxAttempts);
    expect(s.waits).toHaveLength(POLICY.maxAttempts - 1);
  });

  it('returns refusals and other errors at once', async () => {
    for (const status of [200, 201, 400, 401, 403, 404, 413, 500, 503]) {
      const s = scripted(response(status));
      expect((await sendWithBackoff(s.send, s.options)).status).toBe(status);
      expect(s.sent()).toBe(1);
    }
  });

  it('does not wait for a Retry-After longer than the policy allows', async () => {
    const s = scripted(response(429, '3600'), response(201));

    const answer = await sendWithBackoff(s.send, s.options);

    expect(answer.status).toBe(429);
    expect(s.waits).toEqual([]);
  });

  it('tells each retry to onRetry', async () => {
    const s = scripted(response(429, '1'), response(504), response(200));
    const retries: unknown[] = [];

    await sendWithBackoff(s.send, { ...s.options, onRetry: (r) => retries.push(r) });

    expect(retries).toEqual([
      { status: 429, attempt: 1, delayMs: 1_062 },
      { status: 504, attempt: 2, delayMs: 750 },
    ]);
  });
});

describe('reading Retry-After', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3_000);
    expect(parseRetryAfter('0.5', NOW)).toBe(500);
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:00:10 GMT', NOW)).toBe(10_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 08:59:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
  });
});
