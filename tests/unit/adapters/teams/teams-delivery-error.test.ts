import { describe, expect, it } from 'vitest';
import { teamsDeliveryError } from '../../../../src/adapters/teams/teams-delivery-error.ts';

const failure = (statusCode?: number) =>
  Object.assign(new Error(`connector answered ${statusCode ?? 'nothing'}`), statusCode ? { statusCode } : {});

describe('a failed send to Teams, for the outbox', () => {
  it('is tried again after a throttle, an outage or no answer at all', () => {
    for (const status of [undefined, 408, 412, 429, 500, 502, 503]) {
      const error = teamsDeliveryError(failure(status), 'notice');
      expect(error.code, String(status)).toBe('sink_unavailable');
      expect(error.status).toBe(status);
    }
  });

  it('is dead-lettered at once when Teams refuses or the conversation is gone', () => {
    for (const status of [400, 401, 403, 404]) {
      const error = teamsDeliveryError(failure(status), 'teams-channel');
      expect(error.code, String(status)).toBe('sink_refused');
      expect(error.message).toBe(`teams-channel: connector answered ${status}`);
      expect(error.cause).toBeInstanceOf(Error);
    }
  });
});
