import * as fs from 'node:fs/promises';
import { createSlackChannelSink } from './adapters/slack/slack-channel-sink.ts';
import { createSlackThreadNotifier } from './adapters/slack/slack-thread-notifier.ts';
import { type PostToTeamsChannel, TeamsChannelSink } from './adapters/teams/teams-channel-sink.ts';
import { teamsDeliveryError } from './adapters/teams/teams-delivery-error.ts';
import type { Config, SinkName } from './config.ts';
import { ConversationNoticeSink } from './escalation/conversation-notice-sink.ts';
import { DeliveryError } from './escalation/delivery-error.ts';
import type { EscalationSink } from './escalation/sink.ts';
import { FileSink } from './escalation/sinks/file-sink.ts';
import { GitHubIssueSink } from './escalation/sinks/github-issue-sink.ts';
import { JiraSink } from './escalation/sinks/jira-sink.ts';
import { WebhookSink } from './escalation/sinks/webhook-sink.ts';
import type { Ticket } from './escalation/ticket.ts';
import type { OutboxStore } from './stores/outbox-store.ts';

export interface Sinks {
  /** Every sink the outbox may name, the conversation notice included. */
  all: EscalationSink[];
  /** The ticket sinks of a guide's escalations. */
  sinksFor(flowId: string): readonly SinkName[];
  /** Whether a conversation is told where its ticket went (Slack threads, Teams conversations). */
  notifies(conversationKey: string): boolean;
  /** For the start-up log line: default sinks, and the guides routed elsewhere. */
  description: string;
}

export interface SinkDeps {
  outbox: OutboxStore<Ticket>;
  /** Posts to the Teams support channel (from the Teams bot), when Teams is on. */
  postToTeamsChannel?: ((channelId: string) => PostToTeamsChannel) | undefined;
  /** Posts a notice into a Teams conversation (from the Teams bot), when Teams is on. */
  notifyTeams?: ((conversationKey: string, text: string) => Promise<void>) | undefined;
}

/**
 * The configured ticket destinations, each built once for the outbox deliverer, the routing of
 * guides to them, and the notice that tells a Slack or Teams conversation where its ticket went.
 * Every configured sink is built whatever the routing, so an entry written under an older routing is
 * still delivered; `sinksFor` decides where new escalations go.
 */
export function openSinks(config: Readonly<Config>, deps: SinkDeps): Sinks {
  const { tickets } = config;
  const all: EscalationSink[] = [new FileSink({ dir: tickets.dir, files: fs })];
  if (tickets.github) {
    const { token, repository, apiUrl } = tickets.github;
    all.push(new GitHubIssueSink({ fetch, token, repository, ...(apiUrl ? { apiUrl } : {}) }));
  }
  if (tickets.jira) all.push(new JiraSink({ fetch, ...tickets.jira }));
  if (tickets.webhook) all.push(new WebhookSink({ fetch, ...tickets.webhook }));
  const slack = config.slack;
  const slackApiUrl = slack?.apiUrl ? withSlash(slack.apiUrl) : undefined;
  if (tickets.slackChannel && slack) {
    all.push(
      createSlackChannelSink({
        botToken: slack.botToken,
        apiUrl: slackApiUrl,
        channel: tickets.slackChannel,
      }),
    );
  }
  if (tickets.teamsChannel && deps.postToTeamsChannel) {
    all.push(new TeamsChannelSink({ post: deps.postToTeamsChannel(tickets.teamsChannel) }));
  }
  const slackNotice = slack
    ? createSlackThreadNotifier({ botToken: slack.botToken, apiUrl: slackApiUrl })
    : undefined;
  const { notifyTeams } = deps;
  all.push(
    new ConversationNoticeSink({
      outbox: deps.outbox,
      localSinks: ['file'],
      send: async (conversationKey, text) => {
        if (conversationKey.startsWith('slack:') && slackNotice) return slackNotice(conversationKey, text);
        if (conversationKey.startsWith('teams:') && notifyTeams) {
          return notifyTeams(conversationKey, text).catch((err: unknown) => {
            throw teamsDeliveryError(err, 'notice');
          });
        }
        throw new DeliveryError('sink_refused', `notice: no platform is configured for ${conversationKey}`);
      },
    }),
  );
  const routed = Object.entries(tickets.guideSinks);
  return {
    all,
    sinksFor: (flowId) => tickets.guideSinks[flowId] ?? tickets.sinks,
    notifies: (key) =>
      (key.startsWith('slack:') && slack !== null) || (key.startsWith('teams:') && !!notifyTeams),
    description:
      tickets.sinks.join(', ') +
      (routed.length > 0
        ? `; ${routed.map(([guide, names]) => `${guide}: ${names.join(', ')}`).join('; ')}`
        : ''),
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
