import * as fs from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAction } from './adapters/slack/action-ids.ts';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackApp } from './adapters/slack/create-slack-app.ts';
import { readModalValues } from './adapters/slack/read-modal-values.ts';
import { renderFormModal } from './adapters/slack/render-form-modal.ts';
import { renderStepMessage } from './adapters/slack/render-step-message.ts';
import { createTeamsBot, TEAMS_MESSAGES_PATH, type TeamsBot } from './adapters/teams/create-teams-bot.ts';
import { readCardAction } from './adapters/teams/read-card-action.ts';
import { renderStepCard } from './adapters/teams/render-step-card.ts';
import { createWebPlayground } from './adapters/web/create-web-playground.ts';
import type { Config } from './config.ts';
import { FixpathError } from './errors.ts';
import { createOutboxDeliverer } from './escalation/deliver-outbox.ts';
import { FileSink } from './escalation/sinks/file-sink.ts';
import { formatIssue } from './flow/flow-issue.ts';
import { loadFlowFiles } from './flow/load-flow-files.ts';
import { createLogger, type Logger } from './logger.ts';
import { openStores } from './open-stores.ts';
import { createOpsRoutes } from './ops/create-ops-routes.ts';
import { createEngine, type Engine } from './runtime/create-engine.ts';
import { FlowRegistry } from './runtime/flow-registry.ts';

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
  const stores = openStores(config.store);
  const registry = new FlowRegistry(flows, stores.conversations);
  await registry.remember();
  // Tickets go to Markdown files, delivered from the outbox written in the escalation's own transaction.
  const sinks = [new FileSink({ dir: config.ticketsDir, files: fs })];
  const engine = createEngine({
    flows: registry,
    store: stores.conversations,
    idleMs: config.idleMs,
    sinksFor: () => sinks.map((s) => s.name),
  });
  const deliverer = createOutboxDeliverer({ store: stores.outbox, sinks, logger });
  deliverer.start();
  const { dedupe } = stores;
  const ops = createOpsRoutes({
    logger,
    store: stores.conversations,
    flows: registry,
    outbox: async () => {
      const counts = await stores.outbox.counts();
      return { pending: counts.pending, deadLettered: counts.dead };
    },
  });
  const observer = ops.metrics;

  let slack: SlackApp | undefined;
  if (config.slack) {
    slack = createSlackApp(
      config.slack,
      { engine, dedupe, logger, observer, intakeChannels: new Set(config.slack.intakeChannels) },
      options.now ? { now: options.now } : {},
    );
    await slack.start();
  }

  const teams: TeamsBot | undefined = config.teams
    ? createTeamsBot(config.teams, { engine, dedupe, logger, observer, references: stores.teamsReferences })
    : undefined;
  // The playground has no login: it is served only when fixpath listens on this machine alone.
  const host = options.host ?? config.host;
  const playground = isLoopback(host)
    ? createWebPlayground({
        engine,
        logger,
        observer,
        renderSlack: renderStepMessage,
        renderSlackModal: (view) => renderFormModal(view, { conversationKey: 'playground' }),
        renderTeams: renderStepCard,
        readSlackAction: readAction,
        readSlackModalValues: readModalValues,
        readTeamsAction: readCardAction,
        afterTurn: (result) => {
          if (result.effects.some((e) => e.type === 'escalated')) deliverer.wake();
        },
      })
    : undefined;

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
      tickets: `Markdown files in ${config.ticketsDir}`,
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

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}
