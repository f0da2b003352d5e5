import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_KINDS } from '../../src/escalation/redact-secrets.ts';
import type { ConversationRecord } from '../../src/runtime/conversation-record.ts';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store.ts';
import type { SlackCall } from '../helpers/fake-slack-api.ts';
import { cases, secretParts, token, withPassword } from '../helpers/secret-corpus.ts';
import { type Card, SlackHarness } from '../helpers/slack-harness.ts';
import { USER } from '../helpers/slack-requests.ts';

const SUPPORT = 'C0TICKETS';
let slack: SlackHarness;
let dir: string;
let database: string;
/** What fixpath answered Slack's requests with (a refused form's errors, for one). */
const answers: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fixpath-secrets-'));
  database = join(dir, 'fixpath.db');
  slack = await SlackHarness.start({
    SLACK_SUPPORT_CHANNEL: SUPPORT,
    FIXPATH_DATABASE: database,
  });
});
afterAll(async () => {
  await slack.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every corpus secret, one per line, as someone pasting their config and terminal output would. */
const paragraph = cases.map(({ text }) => text).join('\n');

/** The distinctive pieces of every corpus secret, each with the kind and case it comes from. */
const secrets = cases.flatMap((c) => secretParts(c).map((part) => ({ part, kind: c.kind, name: c.name })));

/** Every string in a value, keys included. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => [key, ...stringsIn(v)]);
}

/**
 * One line per secret found in `value`, naming where and which kind; none when nothing leaked. A piece
 * found only as part of a longer one found there too (a bearer body inside an npm token) is not listed.
 */
function leaks(where: string, value: unknown): string[] {
  const texts = stringsIn(value);
  const found = secrets.filter(({ part }) => {
    const escaped = JSON.stringify(part).slice(1, -1);
    return texts.some((text) => text.includes(part) || text.includes(escaped));
  });
  const longest = found.filter(
    ({ part }) => !found.some((other) => other.part !== part && other.part.includes(part)),
  );
  const kinds = new Map<string, Set<string>>();
  for (const { part, kind, name } of longest)
    kinds.set(part, (kinds.get(part) ?? new Set()).add(`${kind} (${name})`));
  return [...new Set([...kinds.values()].map((named) => `${where}: ${[...named].join(' or ')}`))];
}

/** A JSON log line as its fields, or the raw line when it is not JSON. */
function parsed(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}

/** Mentions the bot, starts the offered guide whose button matches, and returns the thread. */
async function startGuide(mention: string, offer: string, button: string | RegExp): Promise<string> {
  const posts = slack.api.of('chat.postMessage').length;
  const { ts } = await slack.mention(mention);
  await slack.api.waitFor('chat.postMessage', posts + 1);
  const offers = slack.threadMessages(ts)[0];
  if (!offers) throw new Error('no offers');
  expect(JSON.stringify(offers.blocks)).toContain(offer);
  await slack.click(offers, button);
  await slack.api.waitUntil((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts, 2);
  return ts;
}

/** Clicks a button on the thread's card and waits for the card to be updated in place. */
async function answer(thread: string, label: string | RegExp): Promise<Card> {
  const updates = slack.api.of('chat.update').length;
  const response = await slack.click(slack.card(thread), label);
  expect(response.status).toBe(200);
  await slack.api.waitFor('chat.update', updates + 1);
  return slack.card(thread);
}

/** Opens the card's form and submits it; returns fixpath's answer to the submission. */
async function submitForm(thread: string, values: Record<string, string | boolean>) {
  const opened = slack.api.of('views.open').length;
  await slack.click(slack.card(thread), /^Fill in/);
  await slack.api.waitFor('views.open', opened + 1);
  const response = await slack.submitModal(values);
  answers.push(response.text);
  expect(response.status).toBe(200);
  return response;
}

/** Waits for the ticket that links back to `thread` in the support channel, and the thread's notice. */
async function ticketFor(thread: string): Promise<{ ticket: SlackCall; notice: SlackCall }> {
  const link = `p${thread.replace('.', '')}`;
  const [ticket] = await slack.api.waitUntil(
    (c) =>
      c.method === 'chat.postMessage' && c.args.channel === SUPPORT && JSON.stringify(c.args).includes(link),
  );
  const [notice] = await slack.api.waitUntil(
    (c) =>
      c.method === 'chat.postMessage' && c.args.thread_ts === thread && /^Filed as/.test(String(c.args.text)),
  );
  if (!ticket || !notice) throw new Error(`no ticket for ${thread}`);
  return { ticket, notice };
}

const REDACTION_WARNING = 'Something that looked like a secret was removed from:';

describe('secrets pasted into a Slack conversation', () => {
  it('are not echoed when an over-long cookie answer is refused, and reach the session-expiry ticket only as [redacted: kind]', async () => {
    const thread = await startGuide(
      `my session keeps expiring after a few minutes, even with SLACK_BOT_TOKEN=${token.slackBot} and ${withPassword('redis://@cache:6379/0', 'hunter2')}`,
      'Fix a session that expires fast',
      'Start',
    );
    await answer(thread, 'Fix session store');
    await answer(thread, /^Still expires/);
    await answer(thread, /^Still expires: check the load balancer/);
    await answer(thread, /^Cannot change load balancer/);
    const form = {
      session_timeout: '30m',
      store_type: 'redis',
      store_ttl: '1800',
      lb_type: 'aws',
      sticky_sessions: false,
    };

    // The whole paragraph does not fit the 200-character cookie field: refused, and the refusal repeats none of it.
    const refused = await submitForm(thread, { ...form, cookie_max_age: paragraph });
    expect(JSON.parse(refused.text)).toEqual({
      response_action: 'errors',
      errors: { cookie_max_age: expect.stringMatching(/^At most 200 characters/) },
    });

    const updates = slack.api.of('chat.update').length;
    const accepted = await submitForm(thread, {
      ...form,
      cookie_max_age: `Session, set after login with ${token.jwt} from SSO, passwd: hunter2`,
    });
    expect(accepted.text).toBe('');
    await slack.api.waitFor('chat.update', updates + 1);
    const { ticket, notice } = await ticketFor(thread);

    const filed = stringsIn([ticket.args.text, ticket.args.blocks]).join('\n');
    expect(filed).toContain(
      'Session, set after login with [redacted: jwt] from SSO, passwd: [redacted: password]',
    );
    expect([...leaks('ticket', ticket.args), ...leaks('notice', notice.args)]).toEqual([]);
    const card = JSON.stringify(slack.card(thread).blocks);
    expect(card).toContain(`${REDACTION_WARNING} Cookie maxAge from DevTools`);
  });

  it('reach the ticket only as [redacted: kind] when every kind is pasted into the description of a problem', async () => {
    const thread = await startGuide(
      `something else: deploys fail since ${token.stripe} was rotated, config is {"dbPassword":"correct horse battery staple"}`,
      'None of these: file a ticket',
      'None of these: file a ticket',
    );
    await answer(thread, 'Describe it and file a ticket');
    // The paragraph is longer than one 2000-character field: the first half describes, the rest is what was tried.
    const half = Math.ceil(cases.length / 2);
    const problem = cases
      .slice(0, half)
      .map(({ text }) => text)
      .join('\n');
    const tried = cases
      .slice(half)
      .map(({ text }) => text)
      .join('\n');
    expect(`${problem}\n${tried}`).toBe(paragraph);
    const updates = slack.api.of('chat.update').length;
    const accepted = await submitForm(thread, { problem, impact: 'team', started: 'since Monday', tried });
    expect(accepted.text).toBe('');
    await slack.api.waitFor('chat.update', updates + 1);
    const { ticket, notice } = await ticketFor(thread);

    expect([...leaks('ticket', ticket.args), ...leaks('notice', notice.args)]).toEqual([]);
    const filed = stringsIn([ticket.args.text, ticket.args.blocks]).join('\n');
    const missing = SECRET_KINDS.map(({ kind }) => `[redacted: ${kind}]`).filter((m) => !filed.includes(m));
    expect(missing).toEqual([]);
    const card = JSON.stringify(slack.card(thread).blocks);
    expect(card).toContain(`${REDACTION_WARNING} What is wrong?, What have you already tried?`);
  });
});

describe('after those two conversations, the secrets', () => {
  beforeAll(() => {
    // Each check below sweeps what the conversations above left; alone, it would prove nothing.
    const tickets = slack.api.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args.channel === SUPPORT,
    );
    if (tickets.length !== 2)
      throw new Error('run this file whole: the conversations above did not both file');
  });

  it('are in no Web API call fixpath made, as the fake Slack received it', () => {
    const found = slack.api.calls.flatMap((call, i) =>
      leaks(
        `Web API call ${i} ${call.method} to ${String(call.args.channel)}${call.args.thread_ts ? ` in thread ${String(call.args.thread_ts)}` : ''}`,
        call.args,
      ),
    );
    expect(found).toEqual([]);
  });

  it('are in no answer fixpath gave to a Slack request', () => {
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.flatMap((text, i) => leaks(`answer ${i}`, parsed(text)))).toEqual([]);
  });

  it('are in no line the server logged', () => {
    expect(slack.logs.length).toBeGreaterThan(0);
    const found = slack.logs.flatMap((line, i) => {
      const msg = String((parsed(line) as { msg?: unknown }).msg ?? line);
      return leaks(`log line ${i} (${msg.slice(0, 40)}…)`, [parsed(line), line]);
    });
    expect(found).toEqual([]);
  });

  it('are in no stored conversation, read back through the store, and nowhere in the SQLite file', async () => {
    const found: string[] = [];
    const store = new SqliteConversationStore<ConversationRecord>({ path: database });
    try {
      const keys = await store.listByUser(USER);
      expect(keys).toHaveLength(2);
      for (const key of keys) {
        const record = (await store.load(key))?.value;
        expect(record?.escalations).toHaveLength(1);
        expect(JSON.stringify(record)).toContain('[redacted: ');
        found.push(...leaks(`stored record ${key}`, record));
      }
    } finally {
      await store.close();
    }

    const db = new Sqlite(database, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
        name: string;
      }>;
      expect(tables.map(({ name }) => name)).toEqual(expect.arrayContaining(['conversations', 'outbox']));
      for (const { name } of tables) {
        found.push(...leaks(`SQLite table ${name}`, db.prepare(`SELECT * FROM "${name}"`).all()));
      }
    } finally {
      db.close();
    }
    expect(found).toEqual([]);
  });
});
