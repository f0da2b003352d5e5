import { createServer } from 'node:http';
import type { WebPlaygroundDeps } from '../../src/adapters/web/web-playground-deps.ts';
import { createLogger } from '../../src/logger.ts';
import { openPlayground } from '../../src/open-playground.ts';
import { createFixpathMetrics } from '../../src/ops/create-fixpath-metrics.ts';
import type { ConversationRecord } from '../../src/runtime/conversation-record.ts';
import { createEngine } from '../../src/runtime/create-engine.ts';
import { FlowRegistry } from '../../src/runtime/flow-registry.ts';
import type { TurnObservation } from '../../src/runtime/turn-observer.ts';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store.ts';
import { allGuides } from './guides.ts';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

/**
 * The playground wired as the composition root wires it: the real guides, an engine over a real SQLite
 * store (in memory), the Slack and Teams renderers and readers, the metrics, served on 127.0.0.1.
 */
export async function startPlayground(options: Partial<Pick<WebPlaygroundDeps, 'allowedHosts'>> = {}) {
  const store = new SqliteConversationStore<ConversationRecord>({
    path: ':memory:',
    userOf: (r) => r.startedBy.id,
  });
  const flows = new FlowRegistry(await allGuides(), store);
  await flows.remember();
  const engine = createEngine({ flows, store });
  const metrics = createFixpathMetrics({
    defaultMetrics: false,
    isKnownFlow: (flowId) => flows.find(flowId) !== undefined,
  });
  /** Every turn the observer was told of (where the composition root wakes the outbox). */
  const turns: TurnObservation[] = [];
  const playground = openPlayground({
    engine,
    logger: createLogger({ logLevel: 'silent' }),
    observer: {
      observeTurn(turn) {
        turns.push(turn);
        metrics.observeTurn(turn);
      },
      observeFailure: (turn) => metrics.observeFailure(turn),
    },
    ...options,
  });
  const server = createServer((req, res) => {
    if (!playground.handle(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not ours\n');
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    engine,
    store,
    turns,
    metrics,
    async close() {
      await closeServer(server);
      await store.close();
    },
  };
}
