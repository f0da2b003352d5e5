import { describe, expect, it } from 'vitest';
import {
  CHANNEL_REFERENCE_TTL_MS,
  refreshTeamsChannel,
  rememberTeamsChannel,
  seenTeamsChannel,
} from '../../../../src/adapters/teams/remember-teams-channel.ts';
import {
  channelKey,
  type StoredTeamsReference,
} from '../../../../src/adapters/teams/teams-reference-store.ts';
import type { Versioned } from '../../../../src/stores/conversation-store.ts';
import { MemoryConversationStore } from '../../../../src/stores/memory/memory-conversation-store.ts';
import {
  botAdded,
  CHANNEL,
  channelThread,
  invoke,
  message,
  personalChat,
  TEAM,
  TEAM_GROUP_ID,
  TEAM_NAME,
  TENANT_ID,
  teamGeneral,
} from '../../../helpers/teams-activities.ts';

const SERVICE = 'https://smba.trafficmanager.net/emea/';
const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-03-02T09:00:00Z');

/** A memory store that counts saves and remembers the lifetime each asked for. */
class CountingStore extends MemoryConversationStore<StoredTeamsReference> {
  saves: Array<{ key: string; ttlMs: number }> = [];

  override async save(
    key: string,
    value: StoredTeamsReference,
    options: Parameters<MemoryConversationStore<StoredTeamsReference>['save']>[2],
  ): Promise<number> {
    this.saves.push({ key, ttlMs: options.ttlMs });
    return super.save(key, value, options);
  }
}

const stored = (store: CountingStore): Promise<Versioned<StoredTeamsReference> | undefined> =>
  store.load(`teams-ref:${channelKey(CHANNEL)}`);

describe('what an activity in a Teams channel teaches about the channel', () => {
  it('is the channel without its reply chain, the bot and the tenant, and no person', () => {
    const seen = seenTeamsChannel(message(channelThread(SERVICE, '17'), 'hi', { mention: true }), T0);

    expect(seen?.channelId).toBe(CHANNEL);
    expect(seen?.entry.reference.conversation).toMatchObject({ id: CHANNEL, tenantId: TENANT_ID });
    expect(seen?.entry.reference.serviceUrl).toBe(SERVICE);
    expect(seen?.entry.reference).not.toHaveProperty('user');
    expect(seen?.entry.reference).not.toHaveProperty('activityId');
    expect(seen?.entry.channel).toEqual({ teamId: TEAM });
  });

  it('comes from a click or the app being added as much as from a message', () => {
    const click = invoke(channelThread(SERVICE, '17'), { a: 1 }, { replyToId: '18' });
    const added = botAdded(teamGeneral(SERVICE));

    expect(seenTeamsChannel(click, T0)?.channelId).toBe(CHANNEL);
    expect(seenTeamsChannel(added, T0)).toMatchObject({
      channelId: TEAM,
      entry: { channel: { teamId: TEAM, groupId: TEAM_GROUP_ID, teamName: TEAM_NAME } },
    });
  });

  it('is nothing outside a channel', () => {
    expect(seenTeamsChannel(message(personalChat(SERVICE), 'hi'), T0)).toBeUndefined();
  });
});

describe('remembering a channel', () => {
  it('keeps the team facts an earlier activity gave when a later one leaves them out', async () => {
    const store = new CountingStore();
    const where = channelThread(SERVICE, '17');
    const named = {
      ...where,
      channelData: {
        ...where.channelData,
        team: { id: TEAM, name: TEAM_NAME, aadGroupId: TEAM_GROUP_ID },
        channel: { id: CHANNEL, name: 'Escalations' },
      },
    };
    const first = seenTeamsChannel(message(named, 'hi'), T0);
    const later = seenTeamsChannel(message(where, 'hi again'), T0 + 1_000);
    if (!first || !later) throw new Error('channel activities expected');

    await rememberTeamsChannel(store, first);
    await rememberTeamsChannel(store, later);

    expect((await stored(store))?.value.channel).toEqual({
      teamId: TEAM,
      groupId: TEAM_GROUP_ID,
      teamName: TEAM_NAME,
      channelName: 'Escalations',
    });
  });

  it('writes an unchanged channel again only once a day, for a year each time', async () => {
    const store = new CountingStore();
    const seenAt = (at: number) => {
      const seen = seenTeamsChannel(message(channelThread(SERVICE, String(at)), 'hi'), at);
      if (!seen) throw new Error('a channel activity expected');
      return seen;
    };

    await rememberTeamsChannel(store, seenAt(T0));
    await rememberTeamsChannel(store, seenAt(T0 + 60_000));
    await rememberTeamsChannel(store, seenAt(T0 + DAY - 1));
    await rememberTeamsChannel(store, seenAt(T0 + DAY));

    expect(store.saves).toEqual([
      { key: `teams-ref:channel:${CHANNEL}`, ttlMs: CHANNEL_REFERENCE_TTL_MS },
      { key: `teams-ref:channel:${CHANNEL}`, ttlMs: CHANNEL_REFERENCE_TTL_MS },
    ]);
    expect((await stored(store))?.value.refreshedAt).toBe(T0 + DAY);
  });

  it('after a post, writes the entry as it stands again once a day, keeping what a newer activity stored', async () => {
    const store = new CountingStore();
    const seen = seenTeamsChannel(message(channelThread(SERVICE, '17'), 'hi'), T0);
    if (!seen) throw new Error('a channel activity expected');
    await rememberTeamsChannel(store, seen);
    const postedFrom = (await stored(store))?.value;
    if (!postedFrom) throw new Error('the channel should be stored');
    const moved = 'https://smba.trafficmanager.net/amer/';
    await rememberTeamsChannel(store, {
      ...seen,
      entry: { ...seen.entry, reference: { ...seen.entry.reference, serviceUrl: moved } },
    });

    await refreshTeamsChannel(store, CHANNEL, postedFrom, T0 + DAY - 1);
    await refreshTeamsChannel(store, CHANNEL, postedFrom, T0 + DAY);

    expect(store.saves).toHaveLength(3);
    expect((await stored(store))?.value).toMatchObject({
      reference: { serviceUrl: moved },
      refreshedAt: T0 + DAY,
    });
  });
});
