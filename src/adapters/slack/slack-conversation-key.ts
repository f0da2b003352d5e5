/** One conversation per thread: the key is the workspace, the channel and the thread's root message. */
export function slackConversationKey(teamId: string, channelId: string, threadTs: string): string {
  return `slack:${teamId}:${channelId}:${threadTs}`;
}

/** The parts of a Slack conversation key, or undefined for a key of another platform. */
export function parseSlackConversationKey(
  key: string,
): { teamId: string; channel: string; threadTs: string } | undefined {
  const [platform, teamId, channel, threadTs] = key.split(':');
  if (platform !== 'slack' || !teamId || !channel || !threadTs) return undefined;
  return { teamId, channel, threadTs };
}
