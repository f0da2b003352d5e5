import type { ConversationReference } from 'botbuilder';
import { isFixpathError } from '../../errors.ts';
import type { ConversationStore } from '../../stores/conversation-store.ts';

/** What fixpath keeps per Teams conversation to write there later, under `teams-ref:<conversation key>`. */
export interface StoredTeamsReference {
  /** Where to post, as botbuilder describes it (plain JSON): for `notify` and replies after the ack. */
  reference: Partial<ConversationReference>;
  /** The running guide's card, replaced in place when a typed command moves the guide. */
  cardActivityId: string | null;
  /** Only on a channel's own entry (`channelKey`): what its activities told about the channel's team. */
  channel?: TeamsChannelFacts;
  /** Only on a channel's own entry: when it was last written (epoch ms), to keep it alive now and then. */
  refreshedAt?: number;
}

/** What Teams says about a channel's team in `channelData`, for links to the messages posted there. */
export interface TeamsChannelFacts {
  /** The team's id, which is also the conversation id of its General channel. */
  teamId?: string;
  /** The team's Microsoft 365 group id (`team.aadGroupId`, sent when the app is added to the team). */
  groupId?: string;
  teamName?: string;
  channelName?: string;
}

/** Long enough to tell someone their ticket was filed days after they last wrote. */
export const REFERENCE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const CONFLICT_RETRIES = 3;

export function referenceKey(conversationKey: string): string {
  return `teams-ref:${conversationKey}`;
}

/**
 * The key of a channel's own reference (stored as `teams-ref:channel:<channel id>`), kept apart from
 * the guides running in its reply chains: proactive posts to the channel (the support channel) start
 * from it. `channelId` is the channel's conversation id without `;messageid=`.
 */
export function channelKey(channelId: string): string {
  return `channel:${channelId}`;
}

export async function loadReference(
  store: ConversationStore<StoredTeamsReference>,
  conversationKey: string,
): Promise<StoredTeamsReference | undefined> {
  return (await store.load(referenceKey(conversationKey)))?.value;
}

/**
 * Changes the stored reference with a versioned write: a concurrent change (another activity of the
 * same conversation, a card id saved after a post) makes it read again and reapply `change`. The
 * entry then lives `ttlMs` from now.
 */
export async function updateReference(
  store: ConversationStore<StoredTeamsReference>,
  conversationKey: string,
  change: (current: StoredTeamsReference | undefined) => StoredTeamsReference,
  ttlMs: number = REFERENCE_TTL_MS,
): Promise<void> {
  const key = referenceKey(conversationKey);
  for (let attempt = 1; ; attempt++) {
    const current = await store.load(key);
    try {
      await store.save(key, change(current?.value), {
        expectedVersion: current?.version ?? null,
        ttlMs,
      });
      return;
    } catch (err) {
      if (!isFixpathError(err, 'store_conflict') || attempt >= CONFLICT_RETRIES) throw err;
    }
  }
}
