import { isFixpathError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { TurnInput } from './conversation-event.ts';
import type { Engine, TurnResult } from './create-engine.ts';
import type { TurnObserver } from './turn-observer.ts';

const CONFLICT_RETRIES = 3;

export interface RunTurnOptions {
  /** The adapter's logger for this conversation; the outcome is logged on it. */
  log: Logger;
  platform: string;
  observer?: TurnObserver | undefined;
}

/**
 * Runs one turn for an adapter. Turns on one conversation are applied one at a time by the store's
 * version check: a conflict means another click, a redelivery or a replica got there first, so the
 * turn is computed again on the new version (a click drawn for the old card then comes back `stale`).
 */
export async function runTurn(
  engine: Engine,
  input: TurnInput,
  options: RunTurnOptions,
): Promise<TurnResult> {
  const log = options.log.child({ event: input.event.type });
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await engine.turn(input);
      const { view } = result;
      options.observer?.observeTurn({
        platform: options.platform,
        flowId: view.flow?.id,
        outcome: result.outcome,
        seconds: seconds(),
        effects: result.effects,
      });
      log.info(
        { outcome: result.outcome, flowId: view.flow?.id, step: view.step.id, revision: view.revision },
        'turn',
      );
      return result;
    } catch (err) {
      if (isFixpathError(err, 'store_conflict') && attempt < CONFLICT_RETRIES) {
        log.debug({ attempt }, 'store conflict, retrying the turn');
        continue;
      }
      log.error({ err }, 'turn failed');
      const flowId = input.event.type === 'start' ? input.event.flowId : input.flowId;
      options.observer?.observeFailure({
        platform: options.platform,
        flowId,
        seconds: seconds(),
        error: err,
      });
      throw err;
    }
  }
}
