import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { types } from '@slack/bolt';
import { loadConfig } from '../../src/config.ts';
import { type Fixpath, startFixpath } from '../../src/main.ts';
import { FakeSlackApi, type SlackCall } from './fake-slack-api.ts';
import { FLOWS_DIR } from './guides.ts';
import {
  blockActionsBody,
  CHANNEL,
  eventCallback,
  type ModalValues,
  type SendOptions,
  SIGNING_SECRET,
  sendToSlackEndpoint,
  slashCommandBody,
  TEAM,
  USER,
  viewSubmissionBody,
} from './slack-requests.ts';

type Block = types.KnownBlock & { block_id?: string; elements?: unknown[]; accessory?: unknown };
interface Element {
  type: string;
  action_id: string;
  text?: { text: string };
  value?: string;
  options?: Array<{ text: { text: string }; value: string }>;
}

export interface Card {
  channel: string;
  threadTs: string;
  ts: string;
  text: string;
  blocks: Block[];
}

/**
 * A Slack workspace around a real fixpath server: Slack's Web API is the fake, everything else is real
 * (Bolt's receiver, the engine, a SQLite store). Sends what Slack would send and reads what fixpath posted.
 */
export class SlackHarness {
  readonly api = new FakeSlackApi();
  readonly logs: string[] = [];
  fixpath!: Fixpath;
  #thread = 1_700_100_000;

  static async start(env: Record<string, string> = {}): Promise<SlackHarness> {
    const harness = new SlackHarness();
    const apiUrl = await harness.api.start();
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-0000000000-0000000000-testtokentesttoken',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: apiUrl,
      SLACK_INTAKE_CHANNELS: 'C0INTAKE',
      FIXPATH_FLOWS_DIR: FLOWS_DIR,
      FIXPATH_DATABASE: ':memory:',
      FIXPATH_TICKETS_DIR: mkdtempSync(join(tmpdir(), 'fixpath-slack-tickets-')),
      LOG_LEVEL: 'debug',
      ...env,
    });
    const logs = new Writable({
      write(chunk, _encoding, done) {
        harness.logs.push(...String(chunk).trimEnd().split('\n'));
        done();
      },
    });
    harness.fixpath = await startFixpath(config, { port: 0, host: '127.0.0.1', logDestination: logs });
    return harness;
  }

  async stop(): Promise<void> {
    await this.fixpath.stop();
    await this.api.stop();
  }

  send(body: string, contentType: string, options: SendOptions = {}) {
    return sendToSlackEndpoint(this.fixpath.url, body, contentType, options);
  }

  /** A new top-level message that mentions the bot; returns its ts (the thread the guide runs in). */
  async mention(
    text: string,
    options: { channel?: string; eventId?: string; retryNum?: number; ts?: string } = {},
  ) {
    const ts = options.ts ?? `${this.#thread++}.000200`;
    const event = {
      type: 'app_mention',
      user: USER,
      text: `<@UFIXPATH> ${text}`,
      ts,
      channel: options.channel ?? CHANNEL,
      event_ts: ts,
      team: TEAM,
    };
    const response = await this.send(eventCallback(event, options.eventId), 'application/json', {
      ...(options.retryNum === undefined ? {} : { retryNum: options.retryNum }),
    });
    return { ts, status: response.status };
  }

  async message(
    text: string,
    options: { channel: string; channelType?: string; eventId?: string; ts?: string },
  ) {
    const ts = options.ts ?? `${this.#thread++}.000300`;
    const event = {
      type: 'message',
      user: USER,
      text,
      ts,
      channel: options.channel,
      channel_type: options.channelType ?? 'channel',
      event_ts: ts,
      team: TEAM,
    };
    const response = await this.send(eventCallback(event, options.eventId), 'application/json');
    return { ts, status: response.status };
  }

  slashCommand(text: string) {
    return this.send(slashCommandBody(text), 'application/x-www-form-urlencoded');
  }

  /** The messages fixpath posted in a thread, with every later chat.update applied. */
  threadMessages(threadTs: string): Card[] {
    const cards = new Map<string, Card>();
    for (const call of this.api.calls) {
      if (
        call.method === 'chat.postMessage' &&
        (call.args.thread_ts === threadTs || call.reply.ts === threadTs)
      ) {
        const ts = String(call.reply.ts);
        cards.set(ts, {
          channel: String(call.args.channel),
          threadTs,
          ts,
          text: String(call.args.text),
          blocks: blocksOf(call),
        });
      }
      if (call.method === 'chat.update') {
        const card = cards.get(String(call.args.ts));
        if (card) cards.set(card.ts, { ...card, text: String(call.args.text), blocks: blocksOf(call) });
      }
    }
    return [...cards.values()];
  }

  /** The guide card of a thread: the newest message carrying fixpath's step buttons. */
  card(threadTs: string): Card {
    const card = this.threadMessages(threadTs)
      .filter((m) => m.blocks.some((b) => (b.block_id ?? '').startsWith('fp|')))
      .at(-1);
    if (!card)
      throw new Error(
        `no guide card in thread ${threadTs}: ${this.api.calls.map((c) => c.method).join(', ')}`,
      );
    return card;
  }

  /** Clicks the button whose text matches (exact, then prefix) on a message, as a user would. */
  async click(message: Card, label: string | RegExp, options: { user?: string; retryNum?: number } = {}) {
    const { block, element } = findButton(message, label);
    const body = this.#blockActions(message, options.user ?? USER, block.block_id ?? '', element, {
      value: element.value,
    });
    return this.send(body, 'application/x-www-form-urlencoded');
  }

  /** Picks an FAQ question from the card's select. */
  async chooseFaq(card: Card, question: string) {
    for (const block of card.blocks) {
      for (const element of (block.elements ?? []) as Element[]) {
        const option = element.options?.find((o) => o.text.text.startsWith(question));
        if (element.action_id === 'fp:faq' && option) {
          const body = this.#blockActions(card, USER, block.block_id ?? '', element, {
            selected_option: option,
          });
          return this.send(body, 'application/x-www-form-urlencoded');
        }
      }
    }
    throw new Error(`no FAQ option "${question}"`);
  }

  /** Submits the last modal fixpath opened, with values by field id (text, option id, or yes/no). */
  async submitModal(values: ModalValues, modal = this.lastModal()) {
    const body = viewSubmissionBody({
      modal,
      values,
      user: { id: USER, name: 'ada' },
      triggerId: '1337.42.submit',
    });
    return this.send(body, 'application/x-www-form-urlencoded');
  }

  lastModal(): SlackCall {
    const modal = this.api.of('views.open').at(-1);
    if (!modal) throw new Error('no modal was opened');
    return modal;
  }

  #blockActions(
    message: Card,
    user: string,
    blockId: string,
    element: Element,
    picked: Record<string, unknown>,
  ): string {
    return blockActionsBody({
      user: { id: user, name: user === USER ? 'ada' : 'grace' },
      message,
      blockId,
      element,
      picked,
      triggerId: `1337.${Date.now()}.trigger`,
      actionTs: `${Math.floor(Date.now() / 1000)}.123456`,
    });
  }
}

function blocksOf(call: SlackCall): Block[] {
  return (call.args.blocks as Block[] | undefined) ?? [];
}

function findButton(message: Card, label: string | RegExp): { block: Block; element: Element } {
  const buttons: Array<{ block: Block; element: Element }> = [];
  for (const block of message.blocks) {
    const elements = [
      ...((block.elements ?? []) as Element[]),
      ...(block.accessory ? [block.accessory as Element] : []),
    ];
    for (const element of elements) if (element.type === 'button') buttons.push({ block, element });
  }
  const text = (b: { element: Element }) => b.element.text?.text ?? '';
  const found =
    typeof label === 'string'
      ? (buttons.find((b) => text(b) === label) ?? buttons.find((b) => text(b).startsWith(label)))
      : buttons.find((b) => label.test(text(b)));
  if (!found) throw new Error(`no button "${String(label)}" among: ${buttons.map(text).join(' | ')}`);
  return found;
}
