import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackApp } from './adapters/slack/create-slack-app.ts';
import { createTeamsBot, TEAMS_MESSAGES_PATH, type TeamsBot } from './adapters/teams/create-teams-bot.ts';
import type { TeamsChannelPost } from './adapters/teams/teams-channel-sink.ts';
import type { Config } from './config.ts';
import { FixpathError } from './errors.ts';
import { createOutboxDeliverer } from './escalation/deliver-outbox.ts';
import { formatIssue } from './flow/flow-issue.ts';
import { loadFlowFiles } from './flow/load-flow-files.ts';
import type { CheckedFlow } from './flow/read-flow.ts';
import { closest } from './flow/wording.ts';
import { createLogger, type Logger } from './logger.ts';
import { openPlayground } from './open-playground.ts';
import { openSinks } from './open-sinks.ts';
import { openStores } from './open-stores.ts';
import { createOpsRoutes } from './ops/create-ops-routes.ts';
import { createEngine, type Engine } from './runtime/create-engine.ts';
import { FlowRegistry } from './runtime/flow-registry.ts';
import type { TurnObserver } from './runtime/turn-observer.ts';

/** How long in-flight requests get to finish on shutdown. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface Fixpath {
  url: string;
  engine: Engine;
  logger: Logger;
  stop(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  host?: string;
  /** Where logs go (default: stdout). */
  logDestination?: Parameters<typeof createLogger>[1];
  now?: () => number;
}

/**
 * The composition root: reads the guides, builds the store, the engine and the configured adapters,
 * and serves them on one HTTP server.
 */
export async function startFixpath(config: Readonly<Config>, options: StartOptions = {}): Promise<Fixpath> {
  const logger = createLogger(config, options.logDestination);
  const { flows, issues } = await loadFlowFiles([config.flowsDir]);
  if (issues.length > 0) throw new FixpathError('flow_invalid', issues.map(formatIssue).join('\n'));
  checkTicketRouting(config, flows);
  const stores = openStores(config.store);
  const registry = new FlowRegistry(flows, stores.conversations);
  await registry.remember();
  const { dedupe } = stores;
  // The Teams sink and notices post through the Teams bot, which is made after the engine.
  let teams: TeamsBot | undefined;
  const sinks = openSinks(config, {
    outbox: stores.outbox,
    ...(config.teams
      ? {
          postToTeamsChannel: (channelId: string) => (post: TeamsChannelPost) =>
            requireTeams(teams).postToChannel(channelId)(post),
          notifyTeams: (conversationKey: string, text: string) =>
            requireTeams(teams).notify(conversationKey, text),
        }
      : {}),
  });
  const { tickets } = config;
  const engine = createEngine({
    flows: registry,
    store: stores.conversations,
    idleMs: config.idleMs,
    sinksFor: sinks.sinksFor,
    notifies: sinks.notifies,
    ...(tickets.duplicateWindowMs === null
      ? {}
      : {
          duplicates: {
            outbox: stores.outbox,
            windowMs: tickets.duplicateWindowMs,
            keyFieldsFor: (flowId: string) => tickets.keyFields[flowId] ?? [],
          },
        }),
  });
  const deliverer = createOutboxDeliverer({
    store: stores.outbox,
    sinks: sinks.all,
    logger,
    maxAttempts: tickets.maxAttempts,
    leaseMs: tickets.leaseMs,
  });
  const ops = createOpsRoutes({
    logger,
    store: stores.conversations,
    flows: registry,
    outbox: async () => {
      const counts = await stores.outbox.counts();
      return { pending: counts.pending, deadLettered: counts.dead };
    },
  });
  // Every adapter's turns are counted, and a turn that filed an escalation sends its tickets at once.
  const observer: TurnObserver = {
    observeTurn(turn) {
      ops.metrics.observeTurn(turn);
      if (turn.effects?.some((e) => e.type === 'escalated')) deliverer.wake();
    },
    observeFailure: (turn) => ops.metrics.observeFailure(turn),
  };

  let slack: SlackApp | undefined;
  if (config.slack) {
    slack = createSlackApp(
      config.slack,
      { engine, dedupe, logger, observer, intakeChannels: new Set(config.slack.intakeChannels) },
      options.now ? { now: options.now } : {},
    );
    await slack.start();
  }

  teams = config.teams
    ? createTeamsBot(config.teams, { engine, dedupe, logger, observer, references: stores.teamsReferences })
    : undefined;
  // Started once every surface a ticket or notice goes through exists; entries left pending go first.
  deliverer.start();
  // The playground has no login: it is served only when fixpath listens on this machine alone.
  const host = options.host ?? config.host;
  const playground = isLoopback(host) ? openPlayground({ engine, logger, observer }) : undefined;

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === SLACK_EVENTS_PATH && slack?.requestListener) return slack.requestListener(req, res);
    if (path === TEAMS_MESSAGES_PATH && teams) return teams.requestListener(req, res);
    if (ops.handle(req, res) || playground?.handle(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await listen(server, options.port ?? config.port, host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info(
    {
      url,
      guides: flows.length,
      store: stores.description,
      tickets: sinks.description,
      ...(tickets.sinks.includes('file') || Object.values(tickets.guideSinks).some((l) => l.includes('file'))
        ? { ticketFiles: tickets.dir }
        : {}),
      ...(config.configFile ? { configFile: config.configFile } : {}),
      playground: playground ? `${url}/` : 'off (not on loopback)',
      slack: config.slack?.mode ?? 'off',
      teams: config.teams ? (config.teams.noAuth ? 'on, WITHOUT authentication' : 'on') : 'off',
    },
    'fixpath is serving',
  );
  return {
    url,
    engine,
    logger,
    async stop() {
      ops.markShuttingDown();
      await slack?.stop();
      // Stop accepting, let requests in flight finish (a turn takes milliseconds), then cut what is left.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(grace);
      await teams?.idle();
      await deliverer.stop();
      await stores.close();
    },
  };
}

/** Guides named in the ticket routing must exist, and their key fields must be fields they capture. */
function checkTicketRouting(config: Readonly<Config>, flows: readonly CheckedFlow[]): void {
  const where = config.configFile ?? 'the configuration file';
  const byId = new Map(flows.map((f) => [f.definition.id, f.definition]));
  const problems: string[] = [];
  const unknown = (guide: string, key: string) => {
    const guess = closest(guide, [...byId.keys()]);
    const hint = guess ? `did you mean "${guess}"? ` : '';
    problems.push(
      `  ${where}: ${key}.${guide}: no guide has the id "${guide}" (${hint}guides: ${[...byId.keys()].join(', ')})`,
    );
  };
  for (const guide of Object.keys(config.tickets.guideSinks))
    if (!byId.has(guide)) unknown(guide, 'tickets.guides');
  for (const [guide, fields] of Object.entries(config.tickets.keyFields)) {
    const flow = byId.get(guide);
    if (!flow) {
      unknown(guide, 'tickets.duplicates.keyFields');
      continue;
    }
    const captured = new Set(flow.capture.items.flatMap((item) => item.fields ?? []));
    for (const field of fields.filter((f) => !captured.has(f))) {
      problems.push(
        `  ${where}: tickets.duplicates.keyFields.${guide}: "${field}" is not one of its capture fields (${[...captured].join(', ')})`,
      );
    }
  }
  if (problems.length > 0)
    throw new FixpathError('config_invalid', `invalid configuration:\n${problems.join('\n')}`);
}

function requireTeams(teams: TeamsBot | undefined): TeamsBot {
  if (!teams) throw new FixpathError('internal', 'Teams is not configured');
  return teams;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}
