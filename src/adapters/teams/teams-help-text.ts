/** The commands of `manifest/teams/manifest.json`, explained; Teams draws this Markdown in a text message. */
export const TEAMS_HELP = [
  'I walk you through troubleshooting guides one step at a time, and file the ticket when a guide runs out.',
  'Describe the problem and I offer the guides that match. In a channel, @mention me: the guide runs in the reply chain of your post.',
  '- **guides**: list the guides you can start',
  '- **start** *guide*: walk through a guide, e.g. `start session-expiry`',
  '- **back**: change your previous answer',
  '- **restart**: start the current guide again from its first step',
  '- **escalate**: stop the guide and file a ticket with what was tried so far',
  '- **help**: this message',
].join('\n\n');

export const TEAMS_WELCOME = `Hi, I am fixpath. ${TEAMS_HELP}`;
