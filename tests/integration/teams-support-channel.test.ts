import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TeamsChannelSink } from '../../src/adapters/teams/teams-channel-sink.ts';
import { DeliveryError } from '../../src/escalation/delivery-error.ts';
import type { TicketOutboxEntry } from '../../src/escalation/outbox.ts';
import { planOutboxEntries } from '../../src/escalation/plan-outbox-entries.ts';
import type { Ticket } from '../../src/escalation/ticket.ts';
import { sampleTicket } from '../helpers/sample-ticket.ts';
import {
  BOT,
  botAdded,
  CHANNEL,
  cardIn,
  channelThread,
  message,
  nextMessageId,
  startTeamsBot,
  TEAM,
  TEAM_GROUP_ID,
  TEAM_NAME,
  TENANT_ID,
  type TeamsHarness,
  teamGeneral,
  textsOf,
  titleOf,
} from '../helpers/teams-activities.ts';

// Tickets posted proactively to a Teams support channel: the bot learns the channel from any activity
// there, and a TeamsChannelSink built on `bot.postToChannel` posts through the connector (faked on
// 127.0.0.1) as the outbox deliverer would call it.

const T0 = Date.parse('2026-03-02T09:00:00Z');
const CARD = 'application/vnd.microsoft.card.adaptive';
const OTHER_CHANNEL = '19:0a1b2c3d4e5f40718293a4b5c6d7e8f9@thread.tacv2';

let teams: TeamsHarness;
let ticket: Ticket;
let repeat: Ticket;

beforeAll(async () => {
  ticket = await sampleTicket({ problem: 'The deploy dashboard shows a blank page since noon.' });
  repeat = { ...(await sampleTicket({ problem: 'Still blank.' })), conversationId: 'second-conversation' };
});

beforeEach(async () => {
  teams = await startTeamsBot();
});

afterEach(async () => {
  await teams.stop();
});

/** An entry as the deliverer hands it to a sink. */
function entryFor(t: Ticket): TicketOutboxEntry {
  const [planned] = planOutboxEntries({
    conversationKey: 'slack:T1:C1:1.2',
    ticket: t,
    sinks: ['teams-channel'],
    now: T0,
  });
  if (!planned) throw new Error('no entry');
  return { ...planned, status: 'pending', attempts: 1 };
}

const activitiesOf = (conversationId: string) =>
  `/v3/conversations/${encodeURIComponent(conversationId)}/activities`;

/** Someone @mentions fixpath in a new post of CHANNEL; the offer it answers with is forgotten. */
async function mentionInChannel(): Promise<void> {
  const root = nextMessageId();
  await teams.send(message(channelThread(teams.serviceUrl, root), 'hello', { id: root, mention: true }));
  teams.connector.clear();
}

describe('posting tickets to a support channel', () => {
  it('posts the ticket card as a new post in a channel where fixpath was @mentioned', async () => {
    await mentionInChannel();
    const sink = new TeamsChannelSink({ post: teams.bot.postToChannel(CHANNEL) });

    const result = await sink.deliver(entryFor(ticket));

    expect(teams.connector.calls.map((c) => [c.method, c.path])).toEqual([['POST', activitiesOf(CHANNEL)]]);
    const call = teams.connector.calls[0];
    expect(call?.conversationId).toBe(CHANNEL);
    expect(call?.activityId).toBeUndefined();
    expect(call?.body.attachments).toMatchObject([{ contentType: CARD }]);
    expect(titleOf(cardIn(call))).toBe(ticket.title);
    expect(textsOf(cardIn(call)).join(' / ')).toContain(
      'The deploy dashboard shows a blank page since noon.',
    );
    expect(call?.body.text).toBeUndefined();
    expect(call?.body.summary).toBe(`Ticket for ${ticket.team}: ${ticket.title}`);
    expect(call?.body.from).toMatchObject({ id: BOT.id });
    expect(result).toMatchObject({ externalId: call?.id, details: { activityId: call?.id } });
    expect(result.url).toBeUndefined();
  });

  it('posts a repeat of the ticket as a reply in the chain of its card', async () => {
    await mentionInChannel();
    const sink = new TeamsChannelSink({ post: teams.bot.postToChannel(CHANNEL) });
    const first = await sink.deliver(entryFor(ticket));

    const again = await sink.comment(first, entryFor(repeat));

    const reply = teams.connector.calls[1];
    expect([reply?.method, reply?.path]).toEqual([
      'POST',
      activitiesOf(`${CHANNEL};messageid=${first.externalId}`),
    ]);
    expect(reply?.conversationId).toBe(`${CHANNEL};messageid=${first.externalId}`);
    expect(textsOf(cardIn(reply)).join(' / ')).toContain('Still blank.');
    expect(reply?.body.summary).toBe(`Reported again: ${repeat.title}`);
    expect(again.externalId).toBe(reply?.id);
  });

  it('remembers the channel itself, without the reply chain or the person who wrote', async () => {
    await mentionInChannel();

    const stored = await teams.references.load(`teams-ref:channel:${CHANNEL}`);

    expect(stored?.value.reference).toEqual({
      channelId: 'msteams',
      serviceUrl: teams.serviceUrl,
      bot: { id: BOT.id, name: BOT.name },
      conversation: {
        id: CHANNEL,
        name: '',
        conversationType: 'channel',
        isGroup: true,
        tenantId: TENANT_ID,
      },
    });
    expect(stored?.value.channel).toEqual({ teamId: TEAM });
  });

  it('learns the General channel and links to the message once fixpath was added to the team', async () => {
    await teams.send(botAdded(teamGeneral(teams.serviceUrl)));
    teams.connector.clear();
    const sink = new TeamsChannelSink({ post: teams.bot.postToChannel(TEAM) });

    const result = await sink.deliver(entryFor(ticket));

    const id = teams.connector.calls[0]?.id ?? '';
    expect(teams.connector.calls.map((c) => c.path)).toEqual([activitiesOf(TEAM)]);
    expect(result.url).toBe(
      `https://teams.microsoft.com/l/message/${encodeURIComponent(TEAM)}/${id}` +
        `?tenantId=${TENANT_ID}&groupId=${TEAM_GROUP_ID}&parentMessageId=${id}` +
        `&teamName=${encodeURIComponent(TEAM_NAME)}&createdTime=${id}`,
    );
  });

  it('links to a message in another channel of the team with the group the team was added with', async () => {
    await teams.send(botAdded(teamGeneral(teams.serviceUrl)));
    await mentionInChannel();
    const sink = new TeamsChannelSink({ post: teams.bot.postToChannel(CHANNEL) });
    const first = await sink.deliver(entryFor(ticket));

    const again = await sink.comment(first, entryFor(repeat));

    const replyId = teams.connector.calls[1]?.id ?? '';
    expect(again.url).toBe(
      `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL)}/${replyId}` +
        `?tenantId=${TENANT_ID}&groupId=${TEAM_GROUP_ID}&parentMessageId=${first.externalId}` +
        `&teamName=${encodeURIComponent(TEAM_NAME)}&createdTime=${replyId}`,
    );
  });

  it('learns a channel from an activity it otherwise ignores, such as someone joining the team', async () => {
    const joined = { ...botAdded(teamGeneral(teams.serviceUrl)), membersAdded: [{ id: '29:someone-else' }] };
    await teams.send(joined);
    expect(teams.connector.calls).toEqual([]);
    const sink = new TeamsChannelSink({ post: teams.bot.postToChannel(TEAM) });

    await sink.deliver(entryFor(ticket));

    expect(teams.connector.posts().map((c) => c.path)).toEqual([activitiesOf(TEAM)]);
  });

  it('refuses to post to a channel fixpath has not seen, saying how to introduce it, and tries again later', async () => {
    await mentionInChannel();
    const sink = new TeamsChannelSink({ post: teams.bot.postToChannel(OTHER_CHANNEL) });

    const failure = await sink.deliver(entryFor(ticket)).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({ code: 'sink_unavailable', status: undefined });
    expect((failure as Error).message).toMatch(
      new RegExp(`${OTHER_CHANNEL}.*add fixpath to that channel's team and @mention it once in the channel`),
    );
    expect(teams.connector.calls).toEqual([]);
  });

  it('tells a throttle or an outage of the connector, to be tried again, from a refusal', async () => {
    await mentionInChannel();
    const sink = new TeamsChannelSink({ post: teams.bot.postToChannel(CHANNEL) });

    // A Retry-After longer than the transport waits for ends the attempt at once.
    teams.connector.queue({ status: 429, headers: { 'retry-after': '120' }, body: { error: 'throttled' } });
    await expect(sink.deliver(entryFor(ticket))).rejects.toMatchObject({
      code: 'sink_unavailable',
      status: 429,
    });
    teams.connector.queue({ status: 500, body: { error: { code: 'ServiceError' } } });
    await expect(sink.deliver(entryFor(ticket))).rejects.toMatchObject({
      code: 'sink_unavailable',
      status: 500,
    });
    teams.connector.queue({ status: 403, body: { error: { code: 'BotNotInConversationRoster' } } });
    await expect(sink.deliver(entryFor(ticket))).rejects.toMatchObject({
      code: 'sink_refused',
      status: 403,
    });

    expect(teams.connector.calls.map((c) => c.status)).toEqual([429, 500, 403]);
    expect(teams.connector.posts()).toEqual([]);
  });
});
