import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ADA,
  APP_ID,
  button,
  cardIn,
  message,
  PERSONAL_CONVERSATION,
  personalChat,
  postActivity,
  startTeamsBot,
  submit,
  TENANT_ID,
  type TeamsHarness,
  titleOf,
} from '../helpers/teams-activities.ts';

// /api/messages as an HTTP endpoint: what is not an activity is refused plainly, authentication is
// botbuilder's, and every outbound call is paced and retried the way Teams asks. Nothing may leave
// 127.0.0.1: the connector is the fake, and nock refuses any other host.

const KEY = `teams:${TENANT_ID}:${PERSONAL_CONVERSATION}`;
const CONVERSATION_PATH = `/v3/conversations/${encodeURIComponent(PERSONAL_CONVERSATION)}/activities`;

let teams: TeamsHarness | undefined;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterAll(() => {
  nock.enableNetConnect();
});

afterEach(async () => {
  await teams?.stop();
  teams = undefined;
});

async function raw(
  url: string,
  init: RequestInit,
): Promise<{ status: number; allow: string | null; text: string }> {
  const response = await fetch(`${url}/api/messages`, init);
  return { status: response.status, allow: response.headers.get('allow'), text: await response.text() };
}

describe('requests that are not activities', () => {
  it('get 405 for another method, 415 for another type, 400 for bad JSON and 413 when too big', async () => {
    teams = await startTeamsBot();
    const json = { 'content-type': 'application/json' };

    const get = await raw(teams.url, { method: 'GET' });
    const text = await raw(teams.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    const broken = await raw(teams.url, { method: 'POST', headers: json, body: '{"type": "message",' });
    const list = await raw(teams.url, { method: 'POST', headers: json, body: '[]' });
    const huge = await raw(teams.url, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(600_000) }),
    });

    expect([get.status, get.allow]).toEqual([405, 'POST']);
    expect(text.status).toBe(415);
    expect(broken.status).toBe(400);
    expect(list.status).toBe(400);
    expect(huge.status).toBe(413);
    expect(teams.connector.calls).toEqual([]);
  });
});

describe('authentication', () => {
  it("is botbuilder's with an app id: a POST without a token gets 401 and changes nothing", async () => {
    teams = await startTeamsBot({
      appId: APP_ID,
      appPassword: 'not-a-real-secret',
      tenantId: TENANT_ID,
      appType: 'SingleTenant',
      noAuth: false,
    });

    // botbuilder reports the refusal on the console itself; keep the test output clean and check it did.
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const answer = await teams.send(message(personalChat(teams.serviceUrl), 'my session expires too fast'));
    const reported = printed.mock.calls.map((args) => args[0]);
    printed.mockRestore();

    expect(answer.status).toBe(401);
    expect(reported).toEqual([expect.objectContaining({ statusCode: 401 })]);
    expect(teams.connector.calls).toEqual([]);
    expect(await teams.references.load(`teams-ref:${KEY}`)).toBeUndefined();
    expect(await teams.engine.listConversations(ADA.aadObjectId)).toEqual([]);
    expect(teams.logs.some((l) => /AUTHENTICATION IS OFF/.test(String(l.msg)))).toBe(false);
  });

  it('is off only with the local-development flag, which is logged loudly once at start', async () => {
    teams = await startTeamsBot();

    await teams.send(message(personalChat(teams.serviceUrl), 'help'));
    await teams.send(message(personalChat(teams.serviceUrl), 'help'));

    const warnings = teams.logs.filter((l) => /AUTHENTICATION IS OFF/.test(String(l.msg)));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe(40);
    expect(teams.connector.calls).toHaveLength(2);
  });
});

describe('outbound calls', () => {
  it('honour a 429 with Retry-After: the answer comes at once, the card update after the pause', async () => {
    teams = await startTeamsBot();
    const where = personalChat(teams.serviceUrl);
    await teams.send(message(where, 'start session-expiry'));
    const posted = teams.connector.calls[0];
    const id = posted?.id ?? '';
    teams.connector.clear();
    teams.connector.queue({
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { error: { code: 'TooManyRequests' } },
    });
    const data = (button(cardIn(posted), 'Confirm the expiry pattern').fallback?.data ?? {}) as Record<
      string,
      unknown
    >;

    const sent = Date.now();
    const answer = await postActivity(teams.url, submit(where, data, { replyToId: id }));
    const answered = Date.now();
    await teams.bot.idle();

    expect(answer.status).toBe(200);
    const [throttled, retried] = teams.connector.calls;
    expect(teams.connector.calls.map((c) => [c.method, c.path, c.status])).toEqual([
      ['PUT', `${CONVERSATION_PATH}/${id}`, 429],
      ['PUT', `${CONVERSATION_PATH}/${id}`, 200],
    ]);
    expect(retried?.body).toEqual(throttled?.body);
    expect(titleOf(cardIn(retried))).toBe('Confirm the expiry pattern');
    expect((retried?.at ?? 0) - (throttled?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(answered - sent).toBeLessThan(1000);
    expect(teams.logs.find((l) => l.msg === 'Teams connector asked to retry')).toMatchObject({
      status: 429,
      attempt: 1,
    });
  });

  it('never exceed the Teams rate for one conversation: the eighth message within a second waits', async () => {
    teams = await startTeamsBot();
    await teams.send(message(personalChat(teams.serviceUrl), 'help'));
    const bot = teams.bot;

    await Promise.all(Array.from({ length: 7 }, (_, i) => bot.notify(KEY, `news ${i + 1}`)));

    const texts = teams.connector.calls.map((c) => String(c.body.text).slice(0, 7));
    expect(texts).toEqual(['I walk ', 'news 1', 'news 2', 'news 3', 'news 4', 'news 5', 'news 6', 'news 7']);
    const after = teams.connector.calls.map((c) => c.at - (teams?.connector.calls[0]?.at ?? 0));
    // Seven a second: the help text and six notes go at once, the seventh note a second after the first message.
    expect(Math.max(...after.slice(0, 7))).toBeLessThan(500);
    expect(after[7]).toBeGreaterThanOrEqual(950);
  });

  it("leave a refusal alone: one call for a 503, so botbuilder's own retries are not in force", async () => {
    teams = await startTeamsBot();
    teams.connector.queue({ status: 503, body: { error: { code: 'ServiceError' } } });

    await teams.send(message(personalChat(teams.serviceUrl), 'help'));

    expect(teams.connector.calls.map((c) => [c.method, c.status])).toEqual([['POST', 503]]);
    expect(teams.logs.find((l) => l.msg === 'Teams reply failed')).toMatchObject({
      level: 50,
      reply: 'text',
    });
  });

  it('post the card anew when the message to update was deleted, and remember the new one', async () => {
    teams = await startTeamsBot();
    const where = personalChat(teams.serviceUrl);
    await teams.send(message(where, 'start session-expiry'));
    const first = teams.connector.calls[0]?.id ?? '';
    await teams.send(message(where, 'escalate'));
    teams.connector.clear();
    teams.connector.queue({ status: 404, body: { error: { code: 'NotFound' } } });

    await teams.send(message(where, 'back'));

    expect(teams.connector.calls.map((c) => [c.method, c.path, c.status])).toEqual([
      ['PUT', `${CONVERSATION_PATH}/${first}`, 404],
      ['POST', CONVERSATION_PATH, 201],
    ]);
    const stored = await teams.references.load(`teams-ref:${KEY}`);
    expect(stored?.value.cardActivityId).toBe(teams.connector.calls[1]?.id);
  });
});
