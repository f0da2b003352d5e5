import { isFixpathError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { TurnInput } from '../../runtime/conversation-event.ts';
import type { Engine, TurnResult } from '../../runtime/create-engine.ts';

const CONFLICT_RETRIES = 3;

/**
 * Runs one turn for Slack. Turns on one conversation are applied one at a time by the store's version
 * check: a conflict means another click or replica got there first, so the turn is computed again on
 * the new version (a click drawn for the old card then comes back as `stale`).
 */
export async function runSlackTurn(engine: Engine, input: TurnInput, logger: Logger): Promise<TurnResult> {
  const log = logger.child({ platform: 'slack', conversationKey: input.key, event: input.event.type });
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await engine.turn(input);
      log.info(
        {
          outcome: result.outcome,
          flowId: result.view.flow?.id,
          step: result.view.step.id,
          revision: result.view.revision,
        },
        'turn',
      );
      return result;
    } catch (err) {
      if (isFixpathError(err, 'store_conflict') && attempt < CONFLICT_RETRIES) {
        log.debug({ attempt }, 'store conflict, retrying the turn');
        continue;
      }
      log.error({ err }, 'turn failed');
      throw err;
    }
  }
}
