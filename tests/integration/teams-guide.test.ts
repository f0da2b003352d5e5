import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixpathError } from '../../src/errors.ts';
import {
  ADA,
  BOT,
  button,
  cardIn,
  GRACE,
  invoke,
  message,
  NO_AUTH,
  PERSONAL_CONVERSATION,
  personalChat,
  startTeamsBot,
  submit,
  TENANT_ID,
  type TeamsHarness,
  textsOf,
  titleOf,
  type Where,
} from '../helpers/teams-activities.ts';

// A personal chat with the bot, end to end: activities POSTed to /api/messages on a real HTTP server,
// the real guides, the engine on the memory store, and the connector at serviceUrl faked on 127.0.0.1.
// Every click takes its data from a button of a card the bot actually sent or answered with.

const CARD = 'application/vnd.microsoft.card.adaptive';
const KEY = `teams:${TENANT_ID}:${PERSONAL_CONVERSATION}`;
const CONVERSATION_PATH = `/v3/conversations/${encodeURIComponent(PERSONAL_CONVERSATION)}/activities`;

let teams: TeamsHarness;
let where: Where;

beforeEach(async () => {
  teams = await startTeamsBot();
  where = personalChat(teams.serviceUrl);
});

afterEach(async () => {
  await teams.stop();
});

type Card = Record<string, unknown>;

/** Types a problem, clicks Start on the first offer, and returns the posted step card and its id. */
async function startGuide(text = 'my session expires too fast'): Promise<{ card: Card; id: string }> {
  await teams.send(message(where, text));
  const offer = teams.connector.posts().at(-1);
  const answer = await teams.send(
    invoke(where, button(cardIn(offer), 'Start').data, { replyToId: offer?.id ?? '' }),
  );
  expect(answer.status).toBe(200);
  const posted = teams.connector.posts().at(-1);
  teams.connector.clear();
  return { card: cardIn(posted), id: posted?.id ?? '' };
}

/** Clicks a button of `card` (the message `cardId`) as an Action.Execute and returns the card Teams is answered with. */
async function click(
  cardId: string,
  card: Card,
  title: string | RegExp,
  options: { inputs?: Record<string, unknown>; id?: string; from?: typeof ADA } = {},
): Promise<Card> {
  const data = { ...button(card, title).data, ...options.inputs };
  const answer = await teams.send(invoke(where, data, { replyToId: cardId, ...options }));
  expect(answer.status).toBe(200);
  const body = answer.body as { statusCode: number; type: string; value: Card };
  expect(body.statusCode).toBe(200);
  expect(body.type).toBe(CARD);
  return body.value;
}

const CAPTURED = {
  'field:session_timeout': '24m',
  'field:store_type': 'files',
  'field:lb_type': 'none',
  'field:cookie_max_age': 'Session',
};

describe('a problem typed in a personal chat', () => {
  it('is answered with the matching guides as a card with Start buttons and a way to file a ticket', async () => {
    const answer = await teams.send(message(where, 'users keep getting logged out'));

    expect(answer.status).toBe(200);
    expect(teams.connector.calls.map((c) => [c.method, c.path, c.status])).toEqual([
      ['POST', CONVERSATION_PATH, 201],
    ]);
    const offer = cardIn(teams.connector.calls[0]);
    expect(textsOf(offer)).toContain('Fix a session that expires fast');
    expect(button(offer, 'Start').data).toEqual({
      fixpath: { c: '', v: 0, e: { type: 'start', flowId: 'session-expiry' } },
    });
    expect(button(offer, 'None of these: file a ticket').data).toEqual({
      fixpath: { c: '', v: 0, e: { type: 'start', flowId: 'other-problem' } },
    });
  });

  it('starts the guide from the offer: the invoke is acknowledged and the step card is posted below', async () => {
    await teams.send(message(where, 'my session expires too fast'));
    const offer = teams.connector.calls[0];
    teams.connector.clear();

    const answer = await teams.send(
      invoke(where, button(cardIn(offer), 'Start').data, { replyToId: offer?.id ?? '' }),
    );

    expect(answer).toEqual({
      status: 200,
      body: {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: 'Started: Fix a session that expires fast',
      },
    });
    expect(teams.connector.calls.map((c) => [c.method, c.path])).toEqual([['POST', CONVERSATION_PATH]]);
    expect(titleOf(cardIn(teams.connector.calls[0]))).toBe('Quick triage — pick your path');
    expect((await teams.references.load(`teams-ref:${KEY}`))?.value.cardActivityId).toBe(
      teams.connector.calls[0]?.id,
    );
  });

  it("posts the guide's card once for a double click on Start", async () => {
    await teams.send(message(where, 'my session expires too fast'));
    const offer = teams.connector.calls[0];
    teams.connector.clear();
    const start = button(cardIn(offer), 'Start').data;

    await teams.send(invoke(where, start, { replyToId: offer?.id ?? '' }));
    const second = await teams.send(invoke(where, start, { replyToId: offer?.id ?? '' }));

    expect(second.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'That guide is already running here: its card is the latest fixpath card in this conversation.',
    });
    expect(teams.connector.calls.map((c) => titleOf(cardIn(c)))).toEqual(['Quick triage — pick your path']);
  });

  it('starts the guide afresh from a new offer once the last run of it was escalated', async () => {
    const { id } = await startGuide();
    await teams.send(message(where, 'escalate'));
    const collect = cardIn(teams.connector.calls[0]);
    await click(id, collect, 'File the ticket', { inputs: CAPTURED });
    teams.connector.clear();

    const fresh = await startGuide('session expires again');

    expect(titleOf(fresh.card)).toBe('Quick triage — pick your path');
    expect(fresh.id).not.toBe(id);
  });
});

describe('the session-expiry guide in Teams', () => {
  it('runs to an escalation: each click replaces the card in place and the ticket is posted as a card', async () => {
    const { card, id } = await startGuide();

    const confirm = await click(id, card, 'Confirm the expiry pattern');
    expect(titleOf(confirm)).toBe('Confirm the expiry pattern');
    const collect = await click(id, confirm, "I can't tell when it expires");
    expect(titleOf(collect)).toBe('Contact backend or infrastructure support');
    expect(teams.connector.calls).toEqual([]);

    const filed = await click(id, collect, 'File the ticket', { inputs: CAPTURED });

    expect(textsOf(filed).join(' / ')).toContain('Escalated');
    expect(teams.connector.calls.map((c) => [c.method, c.path, c.status])).toEqual([
      ['POST', CONVERSATION_PATH, 201],
    ]);
    const ticket = cardIn(teams.connector.calls[0]);
    expect(titleOf(ticket)).toBe(
      'Fix a session that expires fast: Confirm the expiry pattern (reported by Ada Lovelace)',
    );
    expect(ticket.fallbackText).toBe(
      'Ticket for Backend or infrastructure support (normal): Fix a session that expires fast: Confirm the expiry pattern (reported by Ada Lovelace)',
    );
    expect(textsOf(ticket).join(' / ')).toContain('✗ Confirm the expiry pattern');
    expect(teams.connector.calls[0]?.body.from).toEqual({ id: BOT.id, name: BOT.name });
  });

  it('runs to a resolution and takes the feedback, all in the answers to the clicks', async () => {
    const { card, id } = await startGuide();
    let shown = card;
    for (const title of [
      'Follow this guide',
      'Get started',
      /^I know the pattern/,
      'After a fixed time (e.g. 5 min)',
      'Yes, it is lower than users expect',
      'Session lasts as expected',
      'All three hold',
    ]) {
      shown = await click(id, shown, title);
    }
    expect(titleOf(shown)).toBe('Session fixed');
    expect(textsOf(shown).join(' / ')).toContain('Resolved');

    const rated = await click(id, shown, 'Yes');

    expect(textsOf(rated)).toContain('Thanks for your feedback.');
    expect(teams.connector.calls).toEqual([]);
  });

  it('goes back to change an answer', async () => {
    const { card, id } = await startGuide();
    const confirm = await click(id, card, 'Confirm the expiry pattern');
    const pattern = await click(id, confirm, /^I know the pattern/);
    const timeout = await click(id, pattern, 'After a fixed time (e.g. 5 min)');
    expect(titleOf(timeout)).toBe('Is the server session timeout too low?');

    const back = await click(id, timeout, 'Back');
    expect(titleOf(back)).toBe('Does the session expire after a fixed time or on refresh?');
    const refresh = await click(id, back, 'On page refresh');

    expect(titleOf(refresh)).toBe('Use sticky sessions or shared session store');
  });

  it('starts over from the first step, forgetting the answers', async () => {
    const { card, id } = await startGuide();
    const confirm = await click(id, card, 'Confirm the expiry pattern');
    const pattern = await click(id, confirm, /^I know the pattern/);

    const again = await click(id, pattern, 'Start over');

    expect(titleOf(again)).toBe('Quick triage — pick your path');
    expect(textsOf(again).some((t) => t.includes('✓'))).toBe(false);
  });

  it('refuses a capture form with a bad value, showing the error by the field, then takes the corrected one', async () => {
    const { card, id } = await startGuide();
    let shown = card;
    for (const title of [
      'Confirm the expiry pattern',
      /^I know the pattern/,
      'After a fixed time (e.g. 5 min)',
      'Not sure: compare the values for me',
    ]) {
      shown = await click(id, shown, title);
    }
    expect(titleOf(shown)).toBe('Compare the session timeout, expected length and store TTL');

    const refused = await click(id, shown, 'Compare', {
      inputs: { 'field:session_timeout': 'soon', 'field:expected_session': '8h' },
    });

    expect(titleOf(refused)).toBe('Compare the session timeout, expected length and store TTL');
    const body = refused.body as Array<Record<string, unknown>>;
    const input = body.findIndex((e) => e.id === 'field:session_timeout');
    expect(body[input]?.value).toBe('soon');
    expect(body[input + 1]).toMatchObject({ type: 'TextBlock', color: 'attention' });
    expect(String(body[input + 1]?.text)).toMatch(/duration/i);

    const compared = await click(id, refused, 'Compare', {
      inputs: { 'field:session_timeout': '5m', 'field:expected_session': '8h', 'field:store_ttl': '1d' },
    });

    expect(titleOf(compared)).toBe('Increase session timeout and cookie maxAge');
  });
});

describe('a guide left alone', () => {
  it('expires: a later click shows it ended, and Start again replaces that card with the first step', async () => {
    const { card, id } = await startGuide();
    teams.advance(8 * 24 * 60 * 60 * 1000);

    const expired = await click(id, card, 'Confirm the expiry pattern');
    expect(titleOf(expired)).toBe('This conversation expired');
    const again = await click(id, expired, /^Start/);

    expect(titleOf(again)).toBe('Quick triage — pick your path');
    expect(teams.connector.calls).toEqual([]);
  });
});

describe('clicks that must not move the guide', () => {
  it('a click on an out-of-date card changes nothing and shows the current step', async () => {
    const { card: triage, id } = await startGuide();
    const confirm = await click(id, triage, 'Confirm the expiry pattern');

    const stale = await click(id, triage, 'Fix server timeout');

    expect(titleOf(stale)).toBe('Confirm the expiry pattern');
    expect(textsOf(stale).join(' / ')).toContain('That card is out of date, so nothing changed.');
    const next = await click(id, confirm, /^I know the pattern/);
    expect(titleOf(next)).toBe('Does the session expire after a fixed time or on refresh?');
  });

  it('a redelivered invoke is applied once and answered with the card as it is now', async () => {
    const { card, id } = await startGuide();
    const data = button(card, 'Confirm the expiry pattern').data;
    const activity = invoke(where, data, { replyToId: id });

    const first = await teams.send(activity);
    const again = await teams.send(activity);

    const [a, b] = [first, again].map((r) => (r.body as { value: Card }).value);
    expect(titleOf(a)).toBe('Confirm the expiry pattern');
    expect(b).toEqual(a);
    const record = await teams.engine.turn({ key: KEY, event: { type: 'show' }, actor: ADA });
    expect(record.view.revision).toBe(2);
    expect(teams.logs.filter((l) => l.msg === 'redelivered activity, applied already')).toHaveLength(1);
  });

  it('a double click is applied once: the second click gets the current card, not an out-of-date notice', async () => {
    const { card, id } = await startGuide();

    const first = await click(id, card, 'Confirm the expiry pattern');
    const second = await click(id, card, 'Confirm the expiry pattern');

    expect(second).toEqual(first);
    expect(textsOf(second).join(' / ')).not.toContain('out of date');
    expect(teams.logs.filter((l) => l.msg === 'repeated click, applied already')).toHaveLength(1);
  });

  it('a redelivered message is answered once', async () => {
    const typed = message(where, 'logged out on refresh');

    await teams.send(typed);
    await teams.send(typed);

    expect(teams.connector.calls.map((c) => c.method)).toEqual(['POST']);
  });

  it('a button of another bot or an older fixpath gets a short message and changes nothing', async () => {
    const { id } = await startGuide();

    const answer = await teams.send(
      invoke(where, { action: 'approve' }, { replyToId: id, verb: 'someone-else' }),
    );

    expect(answer.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'That button belongs to an older version of fixpath. Describe the problem again to start over.',
    });
    expect(teams.connector.calls).toEqual([]);
  });
});

describe('clients without Universal Actions (the Action.Submit fallback)', () => {
  it('replace the clicked card with updateActivity, once, and post the ticket after it', async () => {
    const { card, id } = await startGuide();
    const fallback = (shown: Card, title: string) =>
      button(shown, title).fallback?.data as Record<string, unknown>;

    const answer = await teams.send(
      submit(where, fallback(card, 'Confirm the expiry pattern'), { replyToId: id }),
    );

    expect(answer).toEqual({ status: 200, body: '' });
    expect(teams.connector.calls.map((c) => [c.method, c.path, c.status])).toEqual([
      ['PUT', `${CONVERSATION_PATH}/${id}`, 200],
    ]);
    const updated = cardIn(teams.connector.calls[0]);
    expect(titleOf(updated)).toBe('Confirm the expiry pattern');
    expect(teams.connector.calls[0]?.body.id).toBe(id);

    teams.connector.clear();
    const escalate = submit(where, fallback(updated, 'I need help now'), { replyToId: id });
    await teams.send(escalate);
    await teams.send(escalate);
    const collect = cardIn(teams.connector.calls[0]);
    expect(titleOf(collect)).toBe('Contact backend or infrastructure support');
    expect(teams.connector.calls).toHaveLength(1);

    teams.connector.clear();
    await teams.send(
      submit(where, { ...fallback(collect, 'File the ticket'), ...CAPTURED }, { replyToId: id }),
    );

    expect(teams.connector.calls.map((c) => [c.method, c.path])).toEqual([
      ['PUT', `${CONVERSATION_PATH}/${id}`],
      ['POST', CONVERSATION_PATH],
    ]);
    expect(textsOf(cardIn(teams.connector.calls[0])).join(' / ')).toContain('Escalated');
    expect(titleOf(cardIn(teams.connector.calls[1]))).toMatch(/^Fix a session that expires fast: /);
  });
});

describe('typed commands from the manifest', () => {
  it('help lists the commands; guides offers every guide', async () => {
    await teams.send(message(where, 'help'));
    await teams.send(message(where, 'guides'));

    const [help, guides] = teams.connector.calls;
    expect(help?.body.text).toContain('**start** *guide*');
    const listed = textsOf(cardIn(guides), (b) => b.weight === 'bolder').slice(1);
    const expected = teams.engine.flows
      .list()
      .map((f) => f.definition)
      .filter((g) => g.id !== 'other-problem')
      .map((g) => g.title);
    expect(listed.sort()).toEqual(expected.sort());
  });

  it('start, back, restart and escalate move the guide and replace its card in place', async () => {
    await teams.send(message(where, 'start session-expiry'));
    const posted = teams.connector.calls[0];
    expect(titleOf(cardIn(posted))).toBe('Quick triage — pick your path');
    const id = posted?.id ?? '';
    await click(id, cardIn(posted), 'Confirm the expiry pattern');
    teams.connector.clear();

    await teams.send(message(where, 'back'));
    await teams.send(message(where, 'restart'));
    await teams.send(message(where, 'escalate'));

    expect(teams.connector.calls.map((c) => [c.method, c.path])).toEqual([
      ['PUT', `${CONVERSATION_PATH}/${id}`],
      ['PUT', `${CONVERSATION_PATH}/${id}`],
      ['PUT', `${CONVERSATION_PATH}/${id}`],
    ]);
    expect(teams.connector.calls.map((c) => titleOf(cardIn(c)))).toEqual([
      'Quick triage — pick your path',
      'Quick triage — pick your path',
      'Contact backend or infrastructure support',
    ]);
  });

  it('say plainly when there is nothing to go back to, or no guide at all', async () => {
    await teams.send(message(where, 'back'));
    await teams.send(message(where, 'start session-expiry'));
    await teams.send(message(where, 'back'));
    await teams.send(message(where, 'start session-expiry'));

    const texts = teams.connector.calls.map((c) => c.body.text);
    expect(texts).toEqual([
      'No guide is running here yet. Describe the problem, or type **guides** to see them all.',
      undefined,
      'That does not fit this step: there is no earlier answer to go back to.',
      'That guide is already running here: its card is the latest fixpath card in this conversation.',
    ]);
  });
});

describe('notify', () => {
  it('sends proactively to the conversation reference stored by an earlier turn', async () => {
    await startGuide();

    await teams.bot.notify(KEY, 'Filed as PROJ-123');

    expect(teams.connector.calls.map((c) => [c.method, c.path, c.body.text])).toEqual([
      ['POST', CONVERSATION_PATH, 'Filed as PROJ-123'],
    ]);
    expect(teams.connector.calls[0]?.body.recipient).toMatchObject({ id: ADA.id });
  });

  it('rejects with the connector status when Teams refuses, e.g. a user who blocked the bot', async () => {
    await startGuide();
    teams.connector.queue({ status: 403, body: { error: { code: 'MessageWritesBlocked' } } });

    await expect(teams.bot.notify(KEY, 'Filed as PROJ-125')).rejects.toMatchObject({
      code: 'internal',
      statusCode: 403,
    });
    expect(teams.connector.calls.map((c) => c.status)).toEqual([403]);
  });

  it('refuses a conversation it has never seen', async () => {
    await expect(teams.bot.notify(`teams:${TENANT_ID}:a:unknown`, 'Filed as PROJ-124')).rejects.toThrow(
      /no Teams conversation is known/,
    );
    expect(teams.connector.calls).toEqual([]);
  });
});

describe('two people in one conversation', () => {
  it("see the same guide: a click by either moves it, and the other's old card is then out of date", async () => {
    const { card, id } = await startGuide();

    const byGrace = await click(id, card, 'Confirm the expiry pattern', { from: GRACE });
    const byAda = await click(id, card, 'Fix session store');

    expect(titleOf(byGrace)).toBe('Confirm the expiry pattern');
    expect(titleOf(byAda)).toBe('Confirm the expiry pattern');
    expect(textsOf(byAda).join(' / ')).toContain('out of date');
  });

  it('clicking at the same moment: one click applies, the other is answered with the card as it now is', async () => {
    const { card, id } = await startGuide();

    const answers = await Promise.all([
      teams.send(invoke(where, button(card, 'Confirm the expiry pattern').data, { replyToId: id })),
      teams.send(invoke(where, button(card, 'Fix session store').data, { replyToId: id, from: GRACE })),
    ]);

    const cards = answers.map((a) => (a.body as { value: Card }).value);
    const titles = cards.map(titleOf);
    expect(titles[0]).toBe(titles[1]);
    expect(['Confirm the expiry pattern', 'Fix session store']).toContain(titles[0]);
    expect(cards.filter((c) => textsOf(c).join(' / ').includes('out of date'))).toHaveLength(1);
    const now = await teams.engine.turn({ key: KEY, event: { type: 'show' }, actor: ADA });
    expect(now.view.revision).toBe(2);
  });
});

describe('when fixpath itself fails', () => {
  it('answers the click with an error and a message with a plain apology, changing nothing', async () => {
    await teams.stop();
    const down = {
      claim: async (): Promise<boolean> => {
        throw new FixpathError('store_unavailable', 'the dedupe store is unavailable');
      },
    };
    teams = await startTeamsBot(NO_AUTH, { dedupe: down });
    where = personalChat(teams.serviceUrl);
    const data = { fixpath: { c: '', v: 0, e: { type: 'start', flowId: 'session-expiry' } } };

    const clicked = await teams.send(invoke(where, data, { replyToId: '1772442000001' }));
    await teams.send(message(where, 'my session expires too fast'));

    const unavailable =
      'fixpath is temporarily unavailable, so nothing changed. Please try again in a moment.';
    expect(clicked).toEqual({
      status: 200,
      body: {
        statusCode: 500,
        type: 'application/vnd.microsoft.error',
        value: { code: 'fixpath_failed', message: unavailable },
      },
    });
    expect(teams.connector.calls.map((c) => c.body.text)).toEqual([unavailable]);
    expect(await teams.engine.listConversations(ADA.aadObjectId)).toEqual([]);
  });
});
