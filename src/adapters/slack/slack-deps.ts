import type { Logger } from '../../logger.ts';
import type { Engine } from '../../runtime/create-engine.ts';
import type { TurnObserver } from '../../runtime/turn-observer.ts';
import type { DedupeStore } from '../../stores/dedupe-store.ts';

/** What the Slack adapter needs from the rest of fixpath, handed in by the composition root. */
export interface SlackDeps {
  engine: Engine;
  dedupe: DedupeStore;
  logger: Logger;
  /** Told about every turn (the metrics). */
  observer?: TurnObserver;
  /** Channels whose new top-level messages get guide offers. */
  intakeChannels: ReadonlySet<string>;
}

/** How long a delivery id is remembered to drop Slack's retries and double clicks. */
export const DEDUPE_TTL_MS = 10 * 60 * 1000;

/** How long the same click on the same card is dropped as a double click. */
export const CLICK_DEDUPE_TTL_MS = 5 * 1000;

/** The guide offered when none of the matches fits. */
export const FALLBACK_FLOW_ID = 'other-problem';
