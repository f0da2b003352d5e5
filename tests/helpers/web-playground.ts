import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAction } from '../../src/adapters/slack/action-ids.ts';
import { readModalValues } from '../../src/adapters/slack/read-modal-values.ts';
import { renderFormModal } from '../../src/adapters/slack/render-form-modal.ts';
import { renderStepMessage } from '../../src/adapters/slack/render-step-message.ts';
import { readCardAction } from '../../src/adapters/teams/read-card-action.ts';
import { renderStepCard } from '../../src/adapters/teams/render-step-card.ts';
import { createWebPlayground } from '../../src/adapters/web/create-web-playground.ts';
import type { WebPlaygroundDeps } from '../../src/adapters/web/web-playground-deps.ts';
import { createLogger } from '../../src/logger.ts';
import { createFixpathMetrics } from '../../src/ops/create-fixpath-metrics.ts';
import type { ConversationRecord } from '../../src/runtime/conversation-record.ts';
import type { TurnResult } from '../../src/runtime/create-engine.ts';
import { createEngine } from '../../src/runtime/create-engine.ts';
import { FlowRegistry } from '../../src/runtime/flow-registry.ts';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store.ts';
import { allGuides } from './guides.ts';

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
  /** Every turn with effects, as `afterTurn` saw it (where the root hands tickets to the sinks). */
  const effects: Array<{ key: string; result: TurnResult }> = [];
  const playground = createWebPlayground({
    engine,
    logger: createLogger({ logLevel: 'silent' }),
    renderSlack: renderStepMessage,
    renderSlackModal: (view) => renderFormModal(view, { conversationKey: 'playground' }),
    renderTeams: renderStepCard,
    readSlackAction: readAction,
    readSlackModalValues: readModalValues,
    readTeamsAction: readCardAction,
    observer: metrics,
    afterTurn: (result, key) => {
      effects.push({ key, result });
    },
    ...options,
  });
  const server = createServer((req, res) => {
    if (!playground.handle(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not ours\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    engine,
    store,
    effects,
    metrics,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
}
