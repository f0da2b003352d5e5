import type { Activity, ConversationReference } from 'botbuilder';
import type { ConversationStore } from '../../stores/conversation-store.ts';
import { teamsPlace } from './teams-conversation-key.ts';
import {
  channelKey,
  loadReference,
  type StoredTeamsReference,
  type TeamsChannelFacts,
  updateReference,
} from './teams-reference-store.ts';

/**
 * A channel's reference outlives the guides' (30 days): a quiet support channel must still take the
 * next ticket. Every activity seen there and every post made there keeps it alive.
 */
export const CHANNEL_REFERENCE_TTL_MS = 365 * 24 * 60 * 60 * 1000;
/** An unchanged channel entry is written again (for its lifetime) at most this often. */
const REFRESH_EVERY_MS = 24 * 60 * 60 * 1000;

/** A channel as one activity showed it: its conversation id (no `;messageid=`) and what to store. */
export interface SeenTeamsChannel {
  channelId: string;
  entry: StoredTeamsReference;
}

interface ChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string; name?: string };
}

/**
 * The channel-level reference an activity in a Teams channel teaches, whatever the activity is: the
 * connector's service URL, the bot, the tenant and the channel's conversation without a reply chain,
 * plus what `channelData` says of the team. No user and no activity id: it addresses the channel
 * itself. Undefined outside channels.
 */
export function seenTeamsChannel(activity: Partial<Activity>, now: number): SeenTeamsChannel | undefined {
  const place = teamsPlace(activity);
  if (place?.scope !== 'channel' || !activity.serviceUrl || !activity.channelId) return undefined;
  const channelId = place.baseConversationId;
  const data = (activity.channelData ?? {}) as ChannelData;
  const tenantId = data.tenant?.id ?? activity.conversation?.tenantId;
  const reference: Partial<ConversationReference> = {
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    ...(activity.recipient
      ? { bot: { id: activity.recipient.id, name: activity.recipient.name ?? '' } }
      : {}),
    conversation: {
      id: channelId,
      name: '',
      conversationType: 'channel',
      isGroup: true,
      ...(tenantId ? { tenantId } : {}),
    },
  };
  const channel: TeamsChannelFacts = {
    ...(data.team?.id ? { teamId: data.team.id } : {}),
    ...(data.team?.aadGroupId ? { groupId: data.team.aadGroupId } : {}),
    ...(data.team?.name ? { teamName: data.team.name } : {}),
    // A conversationUpdate about another channel (created, renamed) names that one, not this.
    ...(data.channel?.id === channelId && data.channel.name ? { channelName: data.channel.name } : {}),
  };
  return { channelId, entry: { reference, cardActivityId: null, channel, refreshedAt: now } };
}

/**
 * Stores what `seen` tells about a channel under `channelKey`, keeping the facts an earlier activity
 * gave and this one did not (only the activity adding the app to a team names the team's group). An
 * entry that would not change is written again only once a day, to keep it alive.
 */
export async function rememberTeamsChannel(
  store: ConversationStore<StoredTeamsReference>,
  seen: SeenTeamsChannel,
): Promise<void> {
  const key = channelKey(seen.channelId);
  const current = await loadReference(store, key);
  if (current && !changes(current, seen.entry)) return;
  await updateReference(store, key, (latest) => merged(latest, seen.entry), CHANNEL_REFERENCE_TTL_MS);
}

/**
 * After a post to the channel: writes its entry again, as it stands then, once a day at most, so a
 * channel that only receives tickets stays known. `stored` is the entry the post was made from.
 */
export async function refreshTeamsChannel(
  store: ConversationStore<StoredTeamsReference>,
  channelId: string,
  stored: StoredTeamsReference,
  now: number,
): Promise<void> {
  if (now - (stored.refreshedAt ?? 0) < REFRESH_EVERY_MS) return;
  await updateReference(
    store,
    channelKey(channelId),
    (latest) => ({ ...(latest ?? stored), refreshedAt: now }),
    CHANNEL_REFERENCE_TTL_MS,
  );
}

function merged(current: StoredTeamsReference | undefined, seen: StoredTeamsReference): StoredTeamsReference {
  return { ...seen, channel: { ...current?.channel, ...seen.channel } };
}

function changes(current: StoredTeamsReference, seen: StoredTeamsReference): boolean {
  const { refreshedAt: before = 0, ...kept } = current;
  const { refreshedAt: now = 0, ...next } = merged(current, seen);
  return now - before >= REFRESH_EVERY_MS || !sameJson(kept, next);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

/** A copy with object keys in order, so a JSON round trip through a store compares equal. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sorted(v)]),
  );
}
