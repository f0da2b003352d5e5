import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;

import type { FlowDefinition } from '../../flow/flow-schema.ts';
import type { ConversationSummary } from '../../runtime/create-engine.ts';
import { escapeMrkdwn } from './escape-mrkdwn.ts';
import { truncate } from './limits.ts';

const STATUS = { active: 'in progress', resolved: 'resolved', escalated: 'ticket filed' } as const;

/** App Home: the guides on offer and the user's own conversations, each linked to its thread. */
export function homeView(
  guides: readonly FlowDefinition[],
  conversations: ReadonlyArray<ConversationSummary & { link?: string }>,
): types.HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'fixpath' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'Describe a problem with `/fixpath what is wrong`, mention me in a channel, or message me here. I walk you through the matching guide, and file the ticket if the guide runs out.',
      },
    },
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Your conversations' } },
  ];
  if (conversations.length === 0) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'None yet.' }] });
  }
  for (const c of conversations.slice(0, 15)) {
    const title = escapeMrkdwn(c.title);
    const when = `<!date^${Math.floor(Date.parse(c.updatedAt) / 1000)}^{date_short_pretty} {time}|${c.updatedAt}>`;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${c.link ? `<${c.link}|${title}>` : `*${title}*`}\n${STATUS[c.status]} · ${when}`,
      },
    });
  }
  blocks.push({ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: 'Guides' } });
  for (const guide of guides.slice(0, 40)) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*${escapeMrkdwn(guide.title)}*\n${escapeMrkdwn(guide.summary)}`, 3000),
      },
    });
  }
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
