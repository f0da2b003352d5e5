import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  botAdded,
  button,
  CHANNEL,
  cardIn,
  channelThread,
  GROUP_CHAT,
  groupChat,
  invoke,
  message,
  nextMessageId,
  PERSONAL_CONVERSATION,
  personalChat,
  startTeamsBot,
  TENANT_ID,
  type TeamsHarness,
  textsOf,
  titleOf,
} from '../helpers/teams-activities.ts';

// Where fixpath runs in Teams: a channel (the guide lives in the reply chain of the post that
// @mentioned it), a group chat, and the welcome when the app is installed.

let teams: TeamsHarness;

beforeEach(async () => {
  teams = await startTeamsBot();
});

afterEach(async () => {
  await teams.stop();
});

const activitiesOf = (conversationId: string) =>
  `/v3/conversations/${encodeURIComponent(conversationId)}/activities`;

describe('an @mention in a channel', () => {
  it('offers guides in the reply chain of the post, and the guide runs there', async () => {
    const root = nextMessageId();
    const thread = channelThread(teams.serviceUrl, root);
    const threadPath = activitiesOf(`${CHANNEL};messageid=${root}`);

    await teams.send(message(thread, 'users keep getting logged out', { id: root, mention: true }));

    expect(teams.connector.calls.map((c) => [c.method, c.path])).toEqual([['POST', threadPath]]);
    const offer = teams.connector.calls[0];
    expect(textsOf(cardIn(offer))).toContain('"users keep getting logged out"');

    teams.connector.clear();
    await teams.send(invoke(thread, button(cardIn(offer), 'Start').data, { replyToId: offer?.id ?? '' }));

    expect(teams.connector.calls.map((c) => [c.method, c.path])).toEqual([['POST', threadPath]]);
    expect(titleOf(cardIn(teams.connector.calls[0]))).toBe('Quick triage — pick your path');
    const stored = await teams.references.load(`teams-ref:teams:${TENANT_ID}:${CHANNEL}:${root}`);
    expect(stored?.value).toMatchObject({
      reference: { conversation: { id: `${CHANNEL};messageid=${root}` }, serviceUrl: teams.serviceUrl },
      cardActivityId: teams.connector.calls[0]?.id,
    });
  });

  it('keeps the guides of two threads of one channel apart', async () => {
    const started = [];
    for (const root of [nextMessageId(), nextMessageId()]) {
      const thread = channelThread(teams.serviceUrl, root);
      await teams.send(message(thread, 'start session-expiry', { id: root, mention: true }));
      const posted = teams.connector.calls.at(-1);
      started.push({ thread, id: posted?.id ?? '', card: cardIn(posted) });
    }
    const [first, second] = started;
    if (!first || !second) throw new Error('two threads expected');

    const moved = await teams.send(
      invoke(first.thread, button(first.card, 'Confirm the expiry pattern').data, { replyToId: first.id }),
    );
    const other = await teams.send(
      invoke(second.thread, button(second.card, 'Fix session store').data, { replyToId: second.id }),
    );

    expect(titleOf((moved.body as { value: unknown }).value)).toBe('Confirm the expiry pattern');
    const secondCard = (other.body as { value: unknown }).value;
    expect(titleOf(secondCard)).toBe('Fix session store');
    expect(textsOf(secondCard).join(' / ')).not.toContain('out of date');
  });
});

describe('a group chat', () => {
  it('answers an @mention in the chat', async () => {
    const chat = groupChat(teams.serviceUrl);

    await teams.send(message(chat, 'TLS certificate expired', { mention: true }));

    expect(teams.connector.calls.map((c) => [c.method, c.path])).toEqual([
      ['POST', activitiesOf(GROUP_CHAT)],
    ]);
    expect(textsOf(cardIn(teams.connector.calls[0]))).toContain('"TLS certificate expired"');
  });
});

describe('installing the app', () => {
  it('says what fixpath does, once', async () => {
    const added = botAdded(personalChat(teams.serviceUrl));

    await teams.send(added);
    await teams.send(added);

    expect(teams.connector.calls.map((c) => [c.method, c.path])).toEqual([
      ['POST', activitiesOf(PERSONAL_CONVERSATION)],
    ]);
    expect(teams.connector.calls[0]?.body.text).toMatch(/^Hi, I am fixpath\./);
  });
});
