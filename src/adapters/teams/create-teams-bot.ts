import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { TeamsConfig } from '../../config.ts';
import { createConnectorTransport } from './connector-transport.ts';
import { handleTeamsTurn } from './handle-teams-turn.ts';
import { KeyedQueue } from './keyed-queue.ts';
import type { PostToTeamsChannel } from './teams-channel-sink.ts';
import { TeamsDelivery } from './teams-delivery.ts';
import type { TeamsDeps } from './teams-deps.ts';
import { createTeamsHttpListener } from './teams-http-listener.ts';
import { TeamsRateLimiter } from './teams-rate-limiter.ts';

export type { TeamsDeps } from './teams-deps.ts';
export type { StoredTeamsReference } from './teams-reference-store.ts';

/** Where Teams (the Bot Framework Service) posts activities; on the same server as everything else. */
export const TEAMS_MESSAGES_PATH = '/api/messages';

export interface TeamsBot {
  /** Mount at TEAMS_MESSAGES_PATH. */
  requestListener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Proactive send to a conversation fixpath has seen, e.g. "Filed as PROJ-123". */
  notify(conversationKey: string, text: string): Promise<void>;
  /**
   * How a `TeamsChannelSink` posts to the channel whose conversation id is `channelId` (`19:…@thread.tacv2`,
   * no `;messageid=`): the ticket card as a new post, a repeat as a reply under it. The channel is known
   * once fixpath saw any activity there (added to the team, or @mentioned in the channel); until then
   * every post rejects, saying so.
   */
  postToChannel(channelId: string): PostToTeamsChannel;
  /** Resolves once every reply queued so far has been sent or given up on: for shutdown and tests. */
  idle(): Promise<void>;
}

/**
 * The Teams bot: botbuilder's CloudAdapter authenticating every request (unless the configuration says
 * local development without authentication), one connector transport that paces and retries every
 * outbound call, and replies sent after the answer, in order per conversation.
 */
export function createTeamsBot(config: TeamsConfig, deps: TeamsDeps): TeamsBot {
  if (config.noAuth) {
    deps.logger.warn(
      { platform: 'teams', path: TEAMS_MESSAGES_PATH },
      'TEAMS AUTHENTICATION IS OFF (FIXPATH_TEAMS_LOCAL_NO_AUTH): anyone who can reach this endpoint can act as ' +
        'any user and make fixpath call any URL. Use it only with the Bot Framework Emulator on your own machine.',
    );
  }
  const transport = createConnectorTransport({ limiter: new TeamsRateLimiter(), logger: deps.logger });
  const auth = new ConfigurationBotFrameworkAuthentication(
    authSettings(config),
    undefined,
    undefined,
    undefined,
    { httpClient: transport },
  );
  const adapter = new CloudAdapter(auth);
  const queue = new KeyedQueue();
  const delivery = new TeamsDelivery({
    adapter,
    appId: config.appId,
    references: deps.references,
    queue,
    logger: deps.logger,
  });
  const logic = (context: Parameters<typeof handleTeamsTurn>[0]) => handleTeamsTurn(context, deps, delivery);
  return {
    requestListener: createTeamsHttpListener((req, res) => adapter.process(req, res, logic), deps.logger),
    notify: (conversationKey, text) => delivery.notify(conversationKey, text),
    postToChannel: (channelId) => (post) => delivery.postToChannel(channelId, post),
    idle: () => queue.idle(),
  };
}

/** botbuilder's settings; an empty app id (allowed only with noAuth by the config) turns its checks off. */
function authSettings(config: TeamsConfig) {
  if (config.noAuth) return { MicrosoftAppId: '' };
  return {
    MicrosoftAppId: config.appId,
    MicrosoftAppType: config.appType,
    ...(config.appPassword ? { MicrosoftAppPassword: config.appPassword } : {}),
    ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
  };
}
