import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_EXPIRY_ANSWERS } from '../helpers/session-expiry-answers.ts';
import { type Card, SlackHarness } from '../helpers/slack-harness.ts';
import { CHANNEL, OTHER_USER } from '../helpers/slack-requests.ts';

let slack: SlackHarness;
const SUPPORT = 'C0TICKETS';
beforeAll(async () => {
  slack = await SlackHarness.start({ SLACK_SUPPORT_CHANNEL: SUPPORT });
});
afterAll(() => slack.stop());
beforeEach(() => {
  slack.api.calls.length = 0;
});

const json = (value: unknown) => JSON.stringify(value);

/** Mentions the bot, starts the first offered guide, and returns the thread and its card. */
async function startSessionExpiry(): Promise<{ thread: string; card: Card }> {
  const { ts } = await slack.mention('my session keeps expiring after a few minutes');
  await slack.api.waitFor('chat.postMessage');
  const offers = slack.threadMessages(ts)[0];
  if (!offers) throw new Error('no offers');
  expect(json(offers.blocks)).toContain('Fix a session that expires fast');
  await slack.click(offers, 'Start');
  await slack.api.waitFor('chat.postMessage', 2);
  return { thread: ts, card: slack.card(ts) };
}

/** Clicks a button on the thread's card and waits for the card to be updated in place. */
async function answer(thread: string, label: string | RegExp): Promise<Card> {
  const updates = slack.api.of('chat.update').length;
  const card = slack.card(thread);
  const response = await slack.click(card, label);
  expect(response.status).toBe(200);
  await slack.api.waitFor('chat.update', updates + 1);
  const next = slack.card(thread);
  expect(next.ts).toBe(card.ts);
  return next;
}

describe('a Slack user walking the session-expiry guide', () => {
  it('gets the guide in the thread of their mention, one card updated in place, and at the end a ticket in the support channel and its link in the thread', async () => {
    const { thread, card } = await startSessionExpiry();
    expect(card.text).toBe('Fix a session that expires fast: Quick triage — pick your path');
    const posted = slack.api.of('chat.postMessage');
    expect(posted.every((c) => c.args.thread_ts === thread && c.args.channel === CHANNEL)).toBe(true);
    expect(posted.every((c) => typeof c.args.text === 'string' && c.args.text !== '')).toBe(true);

    await answer(thread, 'Fix session store');
    await answer(thread, /^Still expires/);
    let current = await answer(thread, /^Still expires: check the load balancer/);
    expect(json(current.blocks)).toContain('✗ Fix session store');
    current = await answer(thread, /^Cannot change load balancer/);
    expect(json(current.blocks)).toContain('fp:form');

    await slack.click(current, /^Fill in/);
    const [modal] = await slack.api.waitFor('views.open');
    expect(modal?.args.trigger_id).toMatch(/^1337\./);
    const refused = await slack.submitModal({ ...SESSION_EXPIRY_ANSWERS, session_timeout: 'forever' });
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.text)).toEqual({
      response_action: 'errors',
      errors: { session_timeout: expect.stringContaining('Enter a duration') },
    });
    expect(slack.api.of('chat.update').at(-1)?.args.ts).toBe(current.ts);

    const updates = slack.api.of('chat.update').length;
    const accepted = await slack.submitModal(SESSION_EXPIRY_ANSWERS);
    expect(accepted.text).toBe('');
    await slack.api.waitFor('chat.update', updates + 1);
    const [ticketPost] = await slack.api.waitUntil(
      (c) => c.method === 'chat.postMessage' && c.args.channel === SUPPORT,
    );
    expect(ticketPost?.args.thread_ts).toBeUndefined();
    expect(String(ticketPost?.args.text)).toMatch(/^Ticket for /);
    const ticket = json(ticketPost?.args.blocks);
    // The ticket links back to the conversation's thread.
    expect(ticket).toContain(`/archives/${CHANNEL}/p${thread.replace('.', '')}`);
    for (const item of [
      'Session timeout value in app config',
      'Session store type and TTL',
      'Load balancer type and sticky sessions',
      'Cookie maxAge from DevTools',
      'Steps already tried',
    ]) {
      expect(ticket).toContain(item);
    }
    expect(ticket).toContain('30m');
    expect(ticket).toContain('Fix session store');
    expect(slack.card(thread).text).toBe('Fix a session that expires fast: Escalate to infrastructure');
    expect(json(slack.card(thread).blocks)).not.toContain('fp:form');

    // Once the ticket is posted, the thread is told where, with a link to it.
    const [notice] = await slack.api.waitUntil(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.thread_ts === thread &&
        /^Filed as/.test(String(c.args.text)),
    );
    const permalink = `https://acme.slack.test/archives/${SUPPORT}/p${String(ticketPost?.reply.ts).replace('.', '')}`;
    expect(notice?.args.text).toBe(`Filed as a message in the support channel: ${permalink}`);
    expect(notice?.args.channel).toBe(CHANNEL);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      slack.api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === SUPPORT),
    ).toHaveLength(1);
  });

  it('reaches the resolution and is thanked for the feedback', async () => {
    const { thread } = await startSessionExpiry();
    await answer(thread, 'Fix session store');
    await answer(thread, 'Session persists');
    const resolved = await answer(thread, 'All three hold');
    expect(json(resolved.blocks)).toContain('Was this helpful?');
    const thanked = await answer(thread, 'Yes');
    expect(json(thanked.blocks)).toContain('Thanks for your feedback.');
    expect(json(thanked.blocks)).not.toContain('"text":"Yes"');
  });

  it('goes back to change an answer, and starts over from the first step', async () => {
    const { thread } = await startSessionExpiry();
    await answer(thread, 'Fix server timeout');
    const back = await answer(thread, 'Back');
    expect(back.text).toContain('Quick triage');
    expect(json(back.blocks)).not.toContain('· Quick triage — pick your path: Fix server timeout');
    await answer(thread, 'Fix session store');
    await answer(thread, /^Still expires/);
    const restarted = await answer(thread, 'Start over');
    expect(restarted.text).toContain('Quick triage');
    expect(json(restarted.blocks)).not.toContain('Fix session store:');
  });

  it('shows an FAQ answer under the current step', async () => {
    const { thread, card } = await startSessionExpiry();
    const updates = slack.api.of('chat.update').length;
    await slack.chooseFaq(card, 'Can a load balancer cause session expiry?');
    await slack.api.waitFor('chat.update', updates + 1);
    expect(json(slack.card(thread).blocks)).toContain('sticky sessions');
    expect(slack.card(thread).text).toContain('Quick triage');
  });

  it('answers a click on an outdated card with an ephemeral note and changes nothing', async () => {
    const { thread, card: first } = await startSessionExpiry();
    await answer(thread, 'Fix session store');
    const before = slack.card(thread);
    const ephemerals = slack.api.of('chat.postEphemeral').length;
    await slack.click(first, 'Fix server timeout');
    const [note] = (await slack.api.waitFor('chat.postEphemeral', ephemerals + 1)).slice(-1);
    expect(note?.args.text).toMatch(/out of date/);
    expect(note?.args.user).toBe('U024BE7LH');
    expect(slack.card(thread).text).toBe(before.text);
    expect(json(slack.card(thread).blocks)).toContain('· Quick triage — pick your path: Fix session store');
  });

  it('applies a double click once', async () => {
    const { thread, card } = await startSessionExpiry();
    const updates = slack.api.of('chat.update').length;
    await Promise.all([slack.click(card, 'Fix session store'), slack.click(card, 'Fix session store')]);
    await slack.api.waitFor('chat.update', updates + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.api.of('chat.update')).toHaveLength(updates + 1);
    expect(slack.api.of('chat.postEphemeral')).toHaveLength(0);
    expect(slack.card(thread).text).toContain('Fix session store');
  });

  it('tells someone else clicking an outdated card that it is out of date', async () => {
    const { thread, card } = await startSessionExpiry();
    await answer(thread, 'Fix session store');
    await slack.click(card, 'Fix server timeout', { user: OTHER_USER });
    const [note] = await slack.api.waitFor('chat.postEphemeral');
    expect(note?.args.user).toBe(OTHER_USER);
  });

  it('opens the form again after the modal was cancelled', async () => {
    const { thread } = await startSessionExpiry();
    await answer(thread, 'Fix session store');
    await answer(thread, /^Still expires/);
    await answer(thread, /^Still expires: check the load balancer/);
    const card = await answer(thread, /^Cannot change load balancer/);
    await slack.click(card, /^Fill in/);
    await slack.api.waitFor('views.open');
    await slack.click(card, /^Fill in/);
    await slack.api.waitFor('views.open', 2);
  });

  it('posts the card again when a running guide is started again from its offers', async () => {
    const { thread } = await startSessionExpiry();
    const offers = slack.threadMessages(thread)[0];
    if (!offers) throw new Error('no offers');
    const posts = slack.api.of('chat.postMessage').length;
    await slack.click(offers, 'Start');
    const [again] = (await slack.api.waitFor('chat.postMessage', posts + 1)).slice(-1);
    expect(again?.args.text).toBe('Fix a session that expires fast: Quick triage — pick your path');
  });
});
