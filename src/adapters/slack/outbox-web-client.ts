import { webApi } from '@slack/bolt';

/**
 * A Web API client for what the outbox sends (tickets, notices): it neither retries nor waits out rate
 * limits itself, and gives up on a call after 10 s, so every failure goes back to the deliverer, which
 * tries again with backoff, honours Retry-After, and never holds up the other sinks.
 */
export function createOutboxWebClient(options: {
  botToken: string;
  /** The Web API base URL; Slack's own when unset. */
  apiUrl?: string | undefined;
}): webApi.WebClient {
  return new webApi.WebClient(options.botToken, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 10_000,
  });
}
