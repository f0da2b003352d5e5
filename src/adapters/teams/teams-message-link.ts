/** Where one channel message is, as a Teams deep link needs it. */
export interface TeamsMessagePlace {
  /** The channel's conversation id, e.g. `19:…@thread.tacv2`. */
  channelId: string;
  messageId: string;
  /** The root of the reply chain: the message itself when it is a new post. */
  parentMessageId: string;
  tenantId: string | undefined;
  /** The team's Microsoft 365 group id. */
  groupId: string | undefined;
  teamName?: string | undefined;
  channelName?: string | undefined;
}

const DEEP_LINK_BASE = 'https://teams.microsoft.com/l/message/';

/**
 * A link that opens a channel message in Teams, in the format of the Teams deep-link documentation
 * ("Deep links to navigate to channel conversation"):
 * `…/l/message/<channel id>/<message id>?tenantId=…&groupId=…&parentMessageId=…&teamName=…&channelName=…&createdTime=…`.
 * Undefined without the tenant or the team's group id, which that format needs; the names are left out
 * when unknown. A Teams message id is its creation time in epoch milliseconds, so it is `createdTime`.
 */
export function teamsMessageLink(place: TeamsMessagePlace): string | undefined {
  if (!place.tenantId || !place.groupId) return undefined;
  const query: Array<[string, string | undefined]> = [
    ['tenantId', place.tenantId],
    ['groupId', place.groupId],
    ['parentMessageId', place.parentMessageId],
    ['teamName', place.teamName],
    ['channelName', place.channelName],
    ['createdTime', /^\d+$/.test(place.messageId) ? place.messageId : undefined],
  ];
  const search = query
    .filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  const path = `${encodeURIComponent(place.channelId)}/${encodeURIComponent(place.messageId)}`;
  return `${DEEP_LINK_BASE}${path}?${search}`;
}
