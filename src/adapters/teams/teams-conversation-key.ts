import type { Activity } from 'botbuilder';

/** Where a Teams activity happened, as fixpath keys conversations. */
export interface TeamsPlace {
  /**
   * The fixpath conversation key. A channel runs one guide per reply chain:
   * `teams:<tenant>:<channel conversation id>:<root message id>`; a personal or group chat runs one at a
   * time: `teams:<tenant>:<conversation id>`.
   */
  key: string;
  tenantId: string;
  /** Where replies go: a channel's reply chain keeps its `;messageid=<root>` so they land in the thread. */
  conversationId: string;
  /** The conversation without the reply chain: a channel, or the chat itself. */
  baseConversationId: string;
  scope: 'personal' | 'groupChat' | 'channel';
}

const THREAD = ';messageid=';

/** The place of an activity, or undefined when it names no conversation. */
export function teamsPlace(activity: Partial<Activity>): TeamsPlace | undefined {
  const conversation = activity.conversation;
  if (!conversation?.id) return undefined;
  const [base = conversation.id, inId] = conversation.id.split(THREAD);
  const tenantId =
    (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ??
    conversation.tenantId ??
    'no-tenant';
  const scope =
    conversation.conversationType === 'channel'
      ? 'channel'
      : conversation.conversationType === 'groupChat' || conversation.isGroup
        ? 'groupChat'
        : 'personal';
  // A new post names itself as the root; a post without the thread in its conversation id is a root too.
  const root =
    scope === 'channel' ? inId || (activity.type === 'message' ? activity.id : undefined) : undefined;
  if (!root) {
    // A chat, or a channel activity outside any reply chain: the conversation as a whole.
    return {
      key: `teams:${tenantId}:${base}`,
      tenantId,
      conversationId: base,
      baseConversationId: base,
      scope,
    };
  }
  return {
    key: `teams:${tenantId}:${base}:${root}`,
    tenantId,
    conversationId: `${base}${THREAD}${root}`,
    baseConversationId: base,
    scope,
  };
}
