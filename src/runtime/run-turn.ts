import { isFixpathError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { TurnInput } from './conversation-event.ts';
import type { Engine, TurnResult } from './create-engine.ts';

const CONFLICT_RETRIES = 3;

/**
 * Runs one turn for an adapter. Turns on one conversation are applied one at a time by the store's
 * version check: a conflict means another click, a redelivery or a replica got there first, so the
 * turn is computed again on the new version (a click drawn for the old card then comes back `stale`).
 * `log` is the adapter's logger for this conversation; the outcome is logged on it.
 */
export async function runTurn(engine: Engine, input: TurnInput, log: Logger): Promise<TurnResult> {
  const turnLog = log.child({ event: input.event.type });
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await engine.turn(input);
      const { view } = result;
      turnLog.info(
        { outcome: result.outcome, flowId: view.flow?.id, step: view.step.id, revision: view.revision },
        'turn',
      );
      return result;
    } catch (err) {
      if (isFixpathError(err, 'store_conflict') && attempt < CONFLICT_RETRIES) {
        turnLog.debug({ attempt }, 'store conflict, retrying the turn');
        continue;
      }
      turnLog.error({ err }, 'turn failed');
      throw err;
    }
  }
}
