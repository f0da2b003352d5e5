import type { Logger } from '../../logger.ts';
import type { Engine } from '../../runtime/create-engine.ts';
import type { TurnObserver } from '../../runtime/turn-observer.ts';
import type { ConversationStore } from '../../stores/conversation-store.ts';
import type { DedupeStore } from '../../stores/dedupe-store.ts';
import type { StoredTeamsReference } from './teams-reference-store.ts';

/** What the Teams adapter needs from the rest of fixpath, handed in by the composition root. */
export interface TeamsDeps {
  engine: Engine;
  dedupe: DedupeStore;
  logger: Logger;
  /** Told about every turn (the metrics). */
  observer?: TurnObserver;
  /** Conversation references by `teams-ref:<conversation key>`, for replies after the ack and `notify`. */
  references: ConversationStore<StoredTeamsReference>;
}

/** How long an activity id or a click is remembered: Teams redelivers after about 15 s, invokes up to ~4 times. */
export const DEDUPE_TTL_MS = 10 * 60 * 1000;

/** The guide offered when none of the matches fits. */
export const FALLBACK_FLOW_ID = 'other-problem';
