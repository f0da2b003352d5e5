import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { SlackConfig } from '../../config.ts';
import { boltLogger } from './bolt-logger.ts';
import { registerSlackListeners } from './register-slack-listeners.ts';
import type { SlackDeps } from './slack-deps.ts';

/** Where Slack sends events, interactivity and the slash command in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's own replay window; fixpath also refuses requests dated this far in the future. */
const MAX_CLOCK_SKEW_S = 5 * 60;

export interface SlackApp {
  /** Mount on the HTTP server at SLACK_EVENTS_PATH in HTTP mode; undefined in Socket Mode. */
  requestListener: RequestListener | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Bolt app: Socket Mode when an app-level token is configured, otherwise Bolt's HTTP receiver,
 * mounted on fixpath's own server. The Web API base URL comes from config so tests and staging can
 * point it at another server.
 */
export function createSlackApp(
  config: SlackConfig,
  deps: SlackDeps,
  options: { now?: () => number } = {},
): SlackApp {
  const now = options.now ?? Date.now;
  const logger = boltLogger(deps.logger);
  const clientOptions = { ...(config.apiUrl ? { slackApiUrl: withSlash(config.apiUrl) } : {}) };
  let receiver: HTTPReceiver | undefined;
  let app: App;
  if (config.mode === 'socket') {
    app = new App({
      token: config.botToken,
      appToken: config.appToken,
      socketMode: true,
      convoStore: false,
      clientOptions,
      logger,
      deferInitialization: true,
    });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.signingSecret ?? '',
      endpoints: SLACK_EVENTS_PATH,
      processBeforeResponse: false,
      logger,
    });
    app = new App({
      token: config.botToken,
      receiver,
      convoStore: false,
      clientOptions,
      logger,
      deferInitialization: true,
    });
  }
  // Bolt's own conversation store (`context.conversation`) is left off: fixpath keeps every conversation
  // in its store, so Bolt's in-memory copy would only cost time on every request.
  registerSlackListeners(app, deps);
  app.error(async (error) => {
    deps.logger.error({ err: error, platform: 'slack' }, 'unhandled error in a Slack listener');
  });

  const listener = receiver?.requestListener;
  return {
    requestListener: listener && ((req, res) => refuseSkewedRequests(req, res, now, listener)),
    async start() {
      await app.init();
      if (config.mode === 'socket') await app.start();
    },
    async stop() {
      if (config.mode === 'socket') await app.stop();
    },
  };
}

/** Bolt refuses requests older than five minutes; a timestamp that far ahead is refused here too. */
function refuseSkewedRequests(
  req: IncomingMessage,
  res: ServerResponse,
  now: () => number,
  next: RequestListener,
) {
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (!Number.isFinite(timestamp) || Math.abs(now() / 1000 - timestamp) > MAX_CLOCK_SKEW_S) {
    req.resume();
    res.writeHead(401).end();
    return;
  }
  next(req, res);
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
