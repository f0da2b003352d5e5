import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;

import type { TurnResult } from '../../runtime/create-engine.ts';
import { renderStepMessage } from './render-step-message.ts';

export interface CardPlace {
  channel: string;
  threadTs: string;
  /** The card message to update in place; a new card is posted in the thread when absent. */
  messageTs: string | undefined;
  userId: string;
}

/**
 * Shows a turn's result in Slack: the card updated in place (or posted), and an ephemeral note for a
 * stale card. A filed ticket shows on the card; where it went is posted in the thread by the outbox
 * once it has been sent, so a crash after this turn neither loses nor repeats it. Returns the card's ts.
 */
export async function showTurnResult(
  client: WebClient,
  place: CardPlace,
  result: TurnResult,
): Promise<string | undefined> {
  const message = renderStepMessage(result.view);
  let cardTs = place.messageTs;
  if (result.outcome === 'stale') {
    await client.chat.postEphemeral({
      channel: place.channel,
      user: place.userId,
      thread_ts: place.threadTs,
      text: 'That card is out of date, so nothing changed. The card now shows where the conversation is.',
    });
  }
  if (cardTs === undefined) {
    const posted = await client.chat.postMessage({
      channel: place.channel,
      thread_ts: place.threadTs,
      ...message,
    });
    cardTs = posted.ts;
  } else {
    await client.chat.update({ channel: place.channel, ts: cardTs, ...message });
  }
  return cardTs;
}
