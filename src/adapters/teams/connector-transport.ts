import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Logger } from '../../logger.ts';
import { type BackoffPolicy, sendWithBackoff } from './send-with-backoff.ts';
import type { TeamsRateLimiter } from './teams-rate-limiter.ts';
import { TeamsConnectorError } from './to-teams-error.ts';

type ConnectorClientOptions = NonNullable<
  ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]
>;
/** The HTTP client botbuilder's connector sends through (`connectorClientOptions.httpClient`). */
export type ConnectorHttpClient = NonNullable<ConnectorClientOptions['httpClient']>;
type ConnectorRequest = Parameters<ConnectorHttpClient['sendRequest']>[0];
type ConnectorResponse = Awaited<ReturnType<ConnectorHttpClient['sendRequest']>>;

export interface ConnectorTransportOptions {
  limiter: TeamsRateLimiter;
  logger: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
  policy?: BackoffPolicy;
  /** Per attempt. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const ERROR_BODY_CHARS = 300;

/**
 * The one way out to the Teams connector: every reply, update and proactive message goes through here,
 * paced per conversation by the limiter and retried on 429/412/502/504 by `sendWithBackoff`.
 *
 * botbuilder's own pipeline also retries (429 and 503 as long as `Retry-After` says, any 5xx three
 * times), which would multiply with this policy and wait unbounded. A failure leaves here as a
 * `TeamsConnectorError`, which that pipeline passes through untouched (it only retries its own REST
 * errors and the responses it sees), so this policy is the only one in force.
 */
export function createConnectorTransport(options: ConnectorTransportOptions): ConnectorHttpClient {
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async sendRequest(request: ConnectorRequest): Promise<ConnectorResponse> {
      const conversationId = conversationOf(request.url);
      const log = options.logger.child({ platform: 'teams', method: request.method, conversationId });
      let response: Response;
      try {
        response = await sendWithBackoff(
          async () => {
            if (conversationId !== undefined) await sleep(options.limiter.reserve(conversationId));
            return send(request.url, {
              method: request.method,
              headers: request.headers.rawHeaders(),
              ...(request.body === undefined || request.body === null ? {} : { body: bodyOf(request.body) }),
              signal: AbortSignal.timeout(request.timeout > 0 ? request.timeout : timeoutMs),
            });
          },
          {
            sleep,
            ...(options.random ? { random: options.random } : {}),
            ...(options.policy ? { policy: options.policy } : {}),
            onRetry: (retry) => log.warn(retry, 'Teams connector asked to retry'),
          },
        );
      } catch (err) {
        throw new TeamsConnectorError(`${request.method} ${pathOf(request.url)} got no answer`, undefined, {
          cause: err,
        });
      }
      const bodyAsText = await response.text();
      if (!response.ok) {
        throw new TeamsConnectorError(
          `${request.method} ${pathOf(request.url)} answered ${response.status}: ${bodyAsText.slice(0, ERROR_BODY_CHARS)}`,
          response.status,
        );
      }
      return { request, status: response.status, headers: responseHeaders(request, response), bodyAsText };
    },
  };
}

/**
 * The conversation a connector URL addresses (`…/v3/conversations/{id}/activities…`), without a
 * channel thread's `;messageid=`: Teams counts a channel's threads against the channel.
 */
export function conversationOf(url: string): string | undefined {
  const match = /\/v3\/conversations\/([^/?]+)/.exec(new URL(url).pathname);
  if (!match?.[1]) return undefined;
  return decodeURIComponent(match[1]).split(';messageid=')[0];
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

function bodyOf(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** The response headers in the compat shape botbuilder reads, made from a copy of the request's. */
function responseHeaders(request: ConnectorRequest, response: Response): ConnectorResponse['headers'] {
  const headers = request.headers.clone();
  for (const name of headers.headerNames()) headers.remove(name);
  response.headers.forEach((value, name) => {
    headers.set(name, value);
  });
  return headers;
}
