import { createHmac } from 'node:crypto';
import type { SlackCall } from './fake-slack-api.ts';

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

/** A button or select of a message, as fixpath drew it. */
interface ActionElement {
  type: string;
  action_id: string;
  text?: { text: string };
}

/**
 * The block_actions Slack sends when `user` uses `element` (of block `blockId`) on a message fixpath
 * posted in a thread, form-encoded; `picked` is what the action carries (a button's value, a select's
 * option).
 */
export function blockActionsBody(action: {
  user: { id: string; name: string };
  message: { ts: string; channel: string; threadTs: string; text: string; blocks: unknown[] };
  blockId: string;
  element: ActionElement;
  picked: Record<string, unknown>;
  triggerId: string;
  actionTs: string;
}): string {
  const { user, message, element } = action;
  return interactionBody({
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: TEAM },
    api_app_id: 'A0FIXPATH',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: false,
      thread_ts: message.threadTs,
    },
    trigger_id: action.triggerId,
    team: { id: TEAM, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: 'support' },
    message: {
      type: 'message',
      user: 'UFIXPATH',
      bot_id: 'BFIXPATH',
      ts: message.ts,
      thread_ts: message.threadTs,
      text: message.text,
      blocks: message.blocks,
      team: TEAM,
    },
    state: { values: {} },
    response_url: 'https://hooks.slack.test/actions/T0ACME/1/xyz',
    actions: [
      {
        type: element.type,
        action_id: element.action_id,
        block_id: action.blockId,
        action_ts: action.actionTs,
        ...(element.text ? { text: { type: 'plain_text', text: element.text.text, emoji: true } } : {}),
        ...action.picked,
      },
    ],
  });
}

/** A form's answers by field id: text, an option's value or text, or yes/no. */
export type ModalValues = Record<string, string | boolean>;

/** An input element of a modal, as fixpath drew it. */
interface InputElement {
  type: string;
  options?: Array<{ text: { text: string }; value: string }>;
}

/**
 * The view_submission Slack sends when `user` submits a modal fixpath opened (its `views.open` call),
 * filled in with `values` by field id, form-encoded.
 */
export function viewSubmissionBody(submission: {
  modal: SlackCall;
  values: ModalValues;
  user: { id: string; name: string };
  triggerId: string;
}): string {
  const { modal, values, user, triggerId } = submission;
  const view = modal.args.view as {
    blocks: Array<Record<string, unknown>>;
    private_metadata: string;
    callback_id: string;
  };
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks) {
    if (block.type !== 'input') continue;
    const id = String(block.block_id);
    state[id] = { value: inputValue(block.element as InputElement, values[id]) };
  }
  return interactionBody({
    type: 'view_submission',
    team: { id: TEAM, domain: 'acme' },
    user: { id: user.id, username: user.name, name: user.name, team_id: TEAM },
    api_app_id: 'A0FIXPATH',
    token: 'legacy-verification-token',
    trigger_id: triggerId,
    view: {
      id: 'V0001',
      team_id: TEAM,
      type: 'modal',
      blocks: view.blocks,
      private_metadata: view.private_metadata,
      callback_id: view.callback_id,
      state: { values: state },
      hash: '1700000000.abcdef',
      title: { type: 'plain_text', text: 'Form' },
      app_id: 'A0FIXPATH',
      bot_id: 'BFIXPATH',
    },
    response_urls: [],
    is_enterprise_install: false,
  });
}

/** What Slack puts in a view's state for one input: the option picked, or the text typed. */
function inputValue(element: InputElement, value: string | boolean | undefined) {
  switch (element.type) {
    case 'static_select':
    case 'radio_buttons': {
      const wanted = typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;
      const option = element.options?.find((o) => o.value === wanted || o.text.text === wanted);
      return { type: element.type, selected_option: option ?? null };
    }
    case 'number_input':
      return { type: 'number_input', value: value === undefined ? null : String(value) };
    default:
      return { type: element.type, value: value === undefined ? null : String(value) };
  }
}
