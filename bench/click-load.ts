import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { LeanSlackApi } from './lean-slack-api.ts';

/** A guide card in a Slack thread, and where its conversation is: what the next click must carry. */
export interface BenchConversation {
  threadTs: string;
  cardTs: string;
  conversationId: string;
  revision: number;
  /** At "Fix session store" (the next click is Back) or at triage (the next click picks that fix). */
  atFix: boolean;
  user: string;
  /** Set when a click failed: the conversation's revision is no longer known, so it is left alone. */
  lost?: boolean;
}

export interface Card {
  text: string;
  blocks: unknown[];
}

export interface ClickLoadOptions {
  /** The server; requests go to `${url}/slack/events`. */
  url: string;
  api: LeanSlackApi;
  conversations: BenchConversation[];
  /** People clicking at once; each waits for its card to be updated before clicking again. */
  users: number;
  warmupMs: number;
  measureMs: number;
  signingSecret: string;
  /** What Slack sends back as `message` in each click: the card as drawn at triage and at the fix. */
  cards: { triage: Card; fix: Card };
  team: string;
  channel: string;
}

export interface ClickLoadResult {
  /** Clicks started and finished (card updated) inside the measured window. */
  clicks: number;
  seconds: number;
  /** Milliseconds from sending a click to its HTTP acknowledgement. */
  ack: number[];
  /** Milliseconds from sending a click to the `chat.update` of its card reaching Slack. */
  updated: number[];
  failed: number;
}

const UPDATE_TIMEOUT_MS = 10_000;

/**
 * A closed-loop load of signed `block_actions` clicks over keep-alive connections: `users` people,
 * each clicking its next card as soon as the last one was updated. One operation is the whole round
 * trip a person waits for: the click, its acknowledgement, the turn, and the card's `chat.update`.
 */
export async function runClickLoad(options: ClickLoadOptions): Promise<ClickLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.users });
  const target = new URL('/slack/events', options.url);
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const measureTo = measureFrom + options.measureMs;
  const result: ClickLoadResult = {
    clicks: 0,
    seconds: options.measureMs / 1_000,
    ack: [],
    updated: [],
    failed: 0,
  };

  const person = async (index: number) => {
    const mine = options.conversations.filter((_, n) => n % options.users === index);
    for (let k = 0; performance.now() < measureTo; k++) {
      const conversation = mine[k % mine.length];
      if (!conversation) return;
      if (conversation.lost) {
        if (mine.every((c) => c.lost)) return;
        continue;
      }
      const body = clickBody(conversation, options);
      const updated = options.api.expectUpdate(conversation.cardTs, UPDATE_TIMEOUT_MS);
      const sent = performance.now();
      const status = await post(agent, target, body, options.signingSecret).catch(() => 0);
      const acked = performance.now();
      const ok = status === 200 && (await updated);
      const done = performance.now();
      if (!ok) {
        conversation.lost = true;
        if (sent >= measureFrom && sent < measureTo) result.failed++;
        continue;
      }
      conversation.revision += 1;
      conversation.atFix = !conversation.atFix;
      if (sent >= measureFrom && done <= measureTo) {
        result.clicks++;
        result.ack.push(acked - sent);
        result.updated.push(done - sent);
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, (_, i) => person(i)));
  agent.destroy();
  return result;
}

/** Clicks as Slack form-encodes them: the card's blocks are encoded once, the rest per click. */
function clickBody(conversation: BenchConversation, options: ClickLoadOptions): string {
  const encoded = encodedCards.get(options.cards) ?? encodeCards(options);
  const action = conversation.atFix
    ? { action_id: 'fp:back', text: 'Back', value: JSON.stringify({ type: 'back' }) }
    : {
        action_id: 'fp:choice:3',
        text: 'Fix session store',
        value: JSON.stringify({ type: 'choose', choice: 'store' }),
      };
  const now = Date.now();
  const { cardTs, threadTs } = conversation;
  const head = {
    type: 'block_actions',
    user: { id: conversation.user, username: 'bench', name: 'bench', team_id: options.team },
    api_app_id: 'A0FIXPATH',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: cardTs,
      channel_id: options.channel,
      is_ephemeral: false,
      thread_ts: threadTs,
    },
    trigger_id: `1337.${now}.bench`,
    team: { id: options.team, domain: 'bench' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: options.channel, name: 'support' },
    state: { values: {} },
    response_url: 'https://hooks.slack.test/actions/T0BENCH/1/bench',
    actions: [
      {
        type: 'button',
        action_id: action.action_id,
        block_id: `fp|${conversation.conversationId}|${conversation.revision}|0|session-expiry`,
        text: { type: 'plain_text', text: action.text, emoji: true },
        value: action.value,
        action_ts: `${Math.floor(now / 1000)}.000100`,
      },
    ],
  };
  const message = `{"ts":${JSON.stringify(cardTs)},"thread_ts":${JSON.stringify(threadTs)},`;
  return `payload=${encodeURIComponent(`${JSON.stringify(head).slice(0, -1)},"message":${message}`)}${
    conversation.atFix ? encoded.fix : encoded.triage
  }`;
}

const encodedCards = new WeakMap<ClickLoadOptions['cards'], { triage: string; fix: string }>();

/** The rest of a click's `message`: the card as drawn, encoded once per card. */
function encodeCards(options: ClickLoadOptions): { triage: string; fix: string } {
  const rest = (card: Card) =>
    encodeURIComponent(
      `${JSON.stringify({
        type: 'message',
        user: 'UFIXPATH',
        bot_id: 'BFIXPATH',
        text: card.text,
        blocks: card.blocks,
        team: options.team,
      }).slice(1)}}`,
    );
  const encoded = { triage: rest(options.cards.triage), fix: rest(options.cards.fix) };
  encodedCards.set(options.cards, encoded);
  return encoded;
}

function post(agent: Agent, url: URL, body: string, secret: string): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': signature,
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}
