import type { ConversationReference } from 'botbuilder';
import { isFixpathError } from '../../errors.ts';
import type { ConversationStore } from '../../stores/conversation-store.ts';

/** What fixpath keeps per Teams conversation to write there later, under `teams-ref:<conversation key>`. */
export interface StoredTeamsReference {
  /** Where to post, as botbuilder describes it (plain JSON): for `notify` and replies after the ack. */
  reference: Partial<ConversationReference>;
  /** The running guide's card, replaced in place when a typed command moves the guide. */
  cardActivityId: string | null;
}

/** Long enough to tell someone their ticket was filed days after they last wrote. */
export const REFERENCE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const CONFLICT_RETRIES = 3;

export function referenceKey(conversationKey: string): string {
  return `teams-ref:${conversationKey}`;
}

export async function loadReference(
  store: ConversationStore<StoredTeamsReference>,
  conversationKey: string,
): Promise<StoredTeamsReference | undefined> {
  return (await store.load(referenceKey(conversationKey)))?.value;
}

/**
 * Changes the stored reference with a versioned write: a concurrent change (another activity of the
 * same conversation, a card id saved after a post) makes it read again and reapply `change`.
 */
export async function updateReference(
  store: ConversationStore<StoredTeamsReference>,
  conversationKey: string,
  change: (current: StoredTeamsReference | undefined) => StoredTeamsReference,
): Promise<void> {
  const key = referenceKey(conversationKey);
  for (let attempt = 1; ; attempt++) {
    const current = await store.load(key);
    try {
      await store.save(key, change(current?.value), {
        expectedVersion: current?.version ?? null,
        ttlMs: REFERENCE_TTL_MS,
      });
      return;
    } catch (err) {
      if (!isFixpathError(err, 'store_conflict') || attempt >= CONFLICT_RETRIES) throw err;
    }
  }
}
