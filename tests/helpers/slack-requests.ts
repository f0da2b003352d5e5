import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
export const TEAM = 'T0ACME';
export const USER = 'U024BE7LH';
export const OTHER_USER = 'U0OTHER1';
export const CHANNEL = 'C0SUPPORT';

/** Signs a body the way Slack does: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"). */
export function slackSignature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  secret?: string;
  timestamp?: number;
  signature?: string;
  retryNum?: number;
}

/** POSTs a signed request to fixpath's Slack endpoint, as Slack's servers would. */
export async function sendToSlackEndpoint(
  url: string,
  body: string,
  contentType: string,
  options: SendOptions = {},
) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? slackSignature(body, timestamp, options.secret),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const response = await fetch(`${url}/slack/events`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

let eventCounter = 0;

/** An Events API delivery (event_callback) with a fresh event id. */
export function eventCallback(event: Record<string, unknown>, eventId = `Ev0${++eventCounter}TEST`) {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM,
    api_app_id: 'A0FIXPATH',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM, user_id: 'UFIXPATH', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}

/** An interactivity payload (block_actions, view_submission, shortcut), form-encoded as Slack sends it. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function slashCommandBody(text: string, channel = CHANNEL): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: TEAM,
    team_domain: 'acme',
    channel_id: channel,
    channel_name: 'support',
    user_id: USER,
    user_name: 'ada',
    command: '/fixpath',
    text,
    api_app_id: 'A0FIXPATH',
    response_url: 'https://hooks.slack.test/commands/T0ACME/1/abc',
    trigger_id: '1337.42.abcdef',
  }).toString();
}
