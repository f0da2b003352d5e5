import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import {
  createTeamsBot,
  type StoredTeamsReference,
  TEAMS_MESSAGES_PATH,
  type TeamsBot,
  type TeamsDeps,
} from '../../src/adapters/teams/create-teams-bot.ts';
import type { TeamsConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import type { Engine } from '../../src/runtime/create-engine.ts';
import { MemoryConversationStore } from '../../src/stores/memory/memory-conversation-store.ts';
import { MemoryDedupeStore } from '../../src/stores/memory/memory-dedupe-store.ts';
import { type ConnectorCall, FakeTeamsConnector } from './fake-teams-connector.ts';
import { allGuides, engineFor } from './guides.ts';

// Bot Framework activities as Teams sends them to /api/messages: channelId msteams, the tenant in
// channelData, 29: user ids with their Entra object id, the bot as 28:<app id>, and conversation ids
// of the three kinds (personal a:…, group chat 19:…@thread.v2, channel 19:…@thread.tacv2 with the
// reply chain's root as ;messageid=).

export const APP_ID = '5f0c3b9e-2d4a-4c1f-9e8b-7a6d5c4b3a21';
export const TENANT_ID = '0d7c4a1e-93b2-4f6e-a8c5-2b1e9f7d6c30';
export const BOT = { id: `28:${APP_ID}`, name: 'fixpath' };
export const ADA = {
  id: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw',
  name: 'Ada Lovelace',
  aadObjectId: '7faf8ab2-3d56-4244-b585-20c8a42ed2b8',
};
export const GRACE = {
  id: '29:1q2w3e4r5t6y7u8i9o0pAsDfGhJkLzXcVbNm-QwErTyUiOpAsDfGhJkLzXcVbNm1234',
  name: 'Grace Hopper',
  aadObjectId: '3c9d2e1f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
};
export const PERSONAL_CONVERSATION =
  'a:17I0kl9EkpE1O9PH5TWrzrLNwnWWcfrU7QZjKR0WSfOpzbfcAg2IaydGElSo10tVr4C7Fc6GtieTJX663WuJCc1uA83n4CSrHSgGBj5XNYLcVlJAs2ZX8DbYBPck201w-';
export const CHANNEL = '19:d8a2f0c1b9e14c6f8a7b3c2d1e0f9a8b@thread.tacv2';
export const TEAM = '19:4b2e7f1a9c3d4e5f8a6b0c1d2e3f4a5b@thread.tacv2';
export const GROUP_CHAT = '19:7c5e0f5a9c2b4d1e8f3a6b9c0d1e2f3a@thread.v2';
/** The team's Microsoft 365 group, which Teams names only when the app is added to the team. */
export const TEAM_GROUP_ID = 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const TEAM_NAME = 'Platform Support';

/** Where an activity happens: the service URL to answer at, the conversation and Teams' channelData. */
export interface Where {
  serviceUrl: string;
  conversation: Record<string, unknown>;
  channelData: Record<string, unknown>;
}

export function personalChat(serviceUrl: string): Where {
  return {
    serviceUrl,
    conversation: { conversationType: 'personal', tenantId: TENANT_ID, id: PERSONAL_CONVERSATION },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

export function groupChat(serviceUrl: string): Where {
  return {
    serviceUrl,
    conversation: { isGroup: true, conversationType: 'groupChat', tenantId: TENANT_ID, id: GROUP_CHAT },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

/** The reply chain of the channel post `rootId` (a new post is its own root). */
export function channelThread(serviceUrl: string, rootId: string): Where {
  return {
    serviceUrl,
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId: TENANT_ID,
      id: `${CHANNEL};messageid=${rootId}`,
    },
    channelData: {
      teamsChannelId: CHANNEL,
      teamsTeamId: TEAM,
      channel: { id: CHANNEL },
      team: { id: TEAM },
      tenant: { id: TENANT_ID },
    },
  };
}

/**
 * The team's General channel (its conversation id is the team id) as the app being added to the team
 * shows it: the team with its name and group id, and no channel in channelData.
 */
export function teamGeneral(serviceUrl: string): Where {
  return {
    serviceUrl,
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT_ID, id: TEAM },
    channelData: {
      team: { aadGroupId: TEAM_GROUP_ID, name: TEAM_NAME, id: TEAM },
      eventType: 'teamMemberAdded',
      tenant: { id: TENANT_ID },
    },
  };
}

let messageIds = 1_772_441_000_000;
let invokeIds = 0;

/** A message id as Teams makes them (milliseconds since the epoch). */
export function nextMessageId(): string {
  return String(messageIds++);
}

function common(where: Where, from: typeof ADA) {
  return {
    channelId: 'msteams',
    serviceUrl: where.serviceUrl,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    locale: 'en-US',
    from,
    recipient: BOT,
    conversation: where.conversation,
    channelData: where.channelData,
    entities: [
      { type: 'clientInfo', locale: 'en-US', country: 'GB', platform: 'Web', timezone: 'Europe/London' },
    ],
  };
}

/** Text typed to the bot; `mention` puts `<at>fixpath</at>` in front, as in channels and group chats. */
export function message(
  where: Where,
  text: string,
  options: { id?: string; from?: typeof ADA; mention?: boolean } = {},
): Record<string, unknown> {
  const base = common(where, options.from ?? ADA);
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...base,
    type: 'message',
    id: options.id ?? nextMessageId(),
    textFormat: 'plain',
    text: options.mention ? `${mention} ${text}` : text,
    entities: options.mention
      ? [...base.entities, { type: 'mention', text: mention, mentioned: { id: BOT.id, name: BOT.name } }]
      : base.entities,
  };
}

/** A click on an `Action.Execute`: the invoke Teams sends, with the button's data and the card's inputs merged in. */
export function invoke(
  where: Where,
  data: Record<string, unknown>,
  options: { replyToId: string; id?: string; from?: typeof ADA; verb?: string },
): Record<string, unknown> {
  return {
    ...common(where, options.from ?? ADA),
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: options.id ?? `f:${(++invokeIds).toString(16).padStart(8, '0')}-6c1e-4a1b-9d3f-2e7b8c9a0d1f`,
    replyToId: options.replyToId,
    value: { action: { type: 'Action.Execute', verb: options.verb ?? 'fixpath', data }, trigger: 'manual' },
  };
}

/** A click on the `Action.Submit` fallback, from a client without Universal Actions: a message with `value`. */
export function submit(
  where: Where,
  data: Record<string, unknown>,
  options: { replyToId: string; id?: string; from?: typeof ADA },
): Record<string, unknown> {
  return {
    ...common(where, options.from ?? ADA),
    type: 'message',
    id: options.id ?? nextMessageId(),
    replyToId: options.replyToId,
    value: data,
  };
}

/** The bot installed in the conversation. */
export function botAdded(where: Where): Record<string, unknown> {
  return {
    ...common(where, ADA),
    type: 'conversationUpdate',
    id: `f:${(++invokeIds).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    membersAdded: [{ id: BOT.id }],
  };
}

/** POSTs an activity to fixpath's /api/messages, as the Bot Framework Service would. */
export async function postActivity(
  url: string,
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: type.includes('json') && text !== '' ? JSON.parse(text) : text };
}

export interface CardButton {
  title: string;
  type: string;
  data: Record<string, unknown>;
  fallback: Record<string, unknown> | undefined;
}

/**
 * Visits every element of a card in the order drawn, descending into containers, action sets and
 * show-cards; `visit` answering true means "do not look inside this one".
 */
function eachElement(node: unknown, visit: (element: Record<string, unknown>) => boolean | undefined): void {
  if (Array.isArray(node)) {
    for (const item of node) eachElement(item, visit);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const element = node as Record<string, unknown>;
  if (visit(element)) return;
  for (const value of Object.values(element)) eachElement(value, visit);
}

/** Every `Action.Execute` on a card, in the order drawn, the ones inside "Common questions" included. */
export function buttonsOf(card: unknown): CardButton[] {
  const found: CardButton[] = [];
  eachElement(card, (item) => {
    if (item.type !== 'Action.Execute') return false;
    found.push({
      title: String(item.title),
      type: 'Action.Execute',
      data: item.data as Record<string, unknown>,
      fallback: item.fallback as Record<string, unknown> | undefined,
    });
    return true;
  });
  return found;
}

/** The button titled `title` (or matching it), failing with the titles there are. */
export function button(card: unknown, title: string | RegExp): CardButton {
  const buttons = buttonsOf(card);
  const found = buttons.find((b) => (typeof title === 'string' ? b.title === title : title.test(b.title)));
  if (!found)
    throw new Error(
      `no button ${String(title)} on the card; it has: ${buttons.map((b) => b.title).join(' | ')}`,
    );
  return found;
}

/** The Adaptive Card a connector call carried. */
export function cardIn(call: ConnectorCall | undefined): Record<string, unknown> {
  const attachments = call?.body.attachments as
    | Array<{ contentType: string; content: Record<string, unknown> }>
    | undefined;
  const card = attachments?.[0];
  if (card?.contentType !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(`no Adaptive Card in ${JSON.stringify(call?.body).slice(0, 300)}`);
  }
  return card.content;
}

/** The card title (the first large TextBlock) and every text on a card, for readable assertions. */
export function titleOf(card: unknown): string {
  const blocks = textsOf(card, (b) => b.size === 'large');
  return blocks[0] ?? '';
}

export function textsOf(
  card: unknown,
  keep: (block: Record<string, unknown>) => boolean = () => true,
): string[] {
  const texts: string[] = [];
  eachElement(card, (item) => {
    if (item.type === 'TextBlock' && typeof item.text === 'string' && keep(item)) texts.push(item.text);
    return false;
  });
  return texts;
}

export interface TeamsHarness {
  /** fixpath's HTTP server, with the bot's listener at /api/messages. */
  url: string;
  serviceUrl: string;
  connector: FakeTeamsConnector;
  bot: TeamsBot;
  engine: Engine;
  references: MemoryConversationStore<StoredTeamsReference>;
  /** Every log line, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Moves the engine's clock, e.g. past the idle expiry. */
  advance(ms: number): void;
  /** POSTs an activity and waits until the replies it queued were sent. */
  send(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export const NO_AUTH: TeamsConfig = {
  appId: '',
  appPassword: undefined,
  tenantId: undefined,
  appType: 'MultiTenant',
  noAuth: true,
};

let loaded: ReturnType<typeof allGuides> | undefined;

/**
 * The Teams bot on a real node:http server on 127.0.0.1, with the real guides of flows/, an engine on
 * the memory store, memory dedupe and references, and the fake connector at the service URL.
 */
export async function startTeamsBot(
  config: TeamsConfig = NO_AUTH,
  overrides: Partial<Pick<TeamsDeps, 'dedupe'>> = {},
): Promise<TeamsHarness> {
  loaded ??= allGuides();
  const connector = new FakeTeamsConnector();
  const serviceUrl = await connector.start();
  const { engine, advance } = engineFor(await loaded);
  const references = new MemoryConversationStore<StoredTeamsReference>();
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ logLevel: 'debug' }, sink);
  const dedupe = overrides.dedupe ?? new MemoryDedupeStore();
  const bot = createTeamsBot(config, { engine, dedupe, logger, references });
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === TEAMS_MESSAGES_PATH) return bot.requestListener(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serviceUrl,
    connector,
    bot,
    engine,
    references,
    logs,
    advance,
    async send(activity, headers) {
      const answer = await postActivity(url, activity, headers);
      await bot.idle();
      return answer;
    },
    async stop() {
      await bot.idle();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await connector.stop();
    },
  };
}
