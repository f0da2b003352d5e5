import type { SendToConversation } from '../../escalation/conversation-notice-sink.ts';
import { DeliveryError } from '../../escalation/delivery-error.ts';
import { createOutboxWebClient } from './outbox-web-client.ts';
import { parseSlackConversationKey } from './slack-conversation-key.ts';
import { slackDeliveryError } from './slack-delivery-error.ts';

/**
 * Posts the "Filed as PROJ-123" notice as a reply in the conversation's own Slack thread, with a client
 * that hands every failure back to the outbox (`createOutboxWebClient`).
 */
export function createSlackThreadNotifier(options: {
  botToken: string;
  /** The Web API base URL; Slack's own when unset. */
  apiUrl?: string | undefined;
}): SendToConversation {
  const client = createOutboxWebClient(options);
  return async (conversationKey, text) => {
    const thread = parseSlackConversationKey(conversationKey);
    if (!thread) {
      throw new DeliveryError('sink_refused', `notice: ${conversationKey} is not a Slack conversation`);
    }
    try {
      await client.chat.postMessage({
        channel: thread.channel,
        thread_ts: thread.threadTs,
        text,
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (err) {
      throw slackDeliveryError(err, 'notice: chat.postMessage');
    }
  };
}
