import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderStepMessage } from '../src/adapters/slack/render-step-message.ts';
import { slackConversationKey } from '../src/adapters/slack/slack-conversation-key.ts';
import type { ConversationRecord } from '../src/runtime/conversation-record.ts';
import type { ConversationStore, FlowVersionStore } from '../src/stores/conversation-store.ts';
import { MemoryConversationStore } from '../src/stores/memory/memory-conversation-store.ts';
import { createRedisClient } from '../src/stores/redis/redis-connection.ts';
import { RedisConversationStore } from '../src/stores/redis/redis-conversation-store.ts';
import { SqliteConversationStore } from '../src/stores/sqlite/sqlite-conversation-store.ts';
import { benchEngine, deleteRedisKeys, FLOW_ID, FLOWS_DIR } from './bench-records.ts';
import { type BenchConversation, type Card, type ClickLoadResult, runClickLoad } from './click-load.ts';
import { LeanSlackApi } from './lean-slack-api.ts';
import { type ServerProcess, startServer } from './server-process.ts';
import { summarise } from './stats.ts';

const TEAM = 'T0BENCH';
const CHANNEL = 'C0BENCH';
const SIGNING_SECRET = '8f7e6d5c4b3a29180f1e2d3c4b5a6978';
const BOT_TOKEN = 'xoxb-0000000000-0000000000-benchtokenbenchtoken';

export interface EndToEndOptions {
  /** A folder of its own for the SQLite file and the bare app's card (the caller deletes it). */
  dir: string;
  /** Redis for the third row, or undefined to leave it out. */
  redisUrl: string | undefined;
  redisPrefix: string;
  users: number;
  conversations: number;
  rounds: number;
  warmupMs: number;
  measureMs: number;
  log: (line: string) => void;
}

export interface EndToEndRow {
  app: string;
  clicks: number;
  seconds: number;
  failed: number;
  /** Clicks per second, each one acknowledged and its card updated. */
  rate: number;
  ack: ReturnType<typeof summarise>;
  updated: ReturnType<typeof summarise>;
  rss: number | undefined;
}

interface Contender {
  app: string;
  server: ServerProcess;
  conversations: BenchConversation[];
  results: ClickLoadResult[];
}

/**
 * fixpath against a bare Bolt app on the same receiver, in one run: every contender serves the same
 * clicks from the same load generator and fake Slack Web API, in alternating rounds, so a machine
 * that slows down mid-run slows them all.
 */
export async function runEndToEnd(options: EndToEndOptions): Promise<EndToEndRow[]> {
  const api = new LeanSlackApi();
  const apiUrl = await api.start();
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  const contenders: Contender[] = [];
  try {
    const cards = await cardTemplates();
    const cardFile = join(dir, 'card.json');
    writeFileSync(cardFile, JSON.stringify(cards.triage));
    const slackEnv = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: apiUrl,
      FIXPATH_FLOWS_DIR: FLOWS_DIR,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
    };

    options.log('end to end: starting the bare Bolt app and fixpath');
    contenders.push({
      app: 'bare Bolt app (ack + chat.update)',
      server: await startServer(['--import', 'tsx', 'bench/bare-bolt-app.ts'], {
        BENCH_CARD_FILE: cardFile,
        BENCH_SIGNING_SECRET: SIGNING_SECRET,
        BENCH_BOT_TOKEN: BOT_TOKEN,
        BENCH_SLACK_API_URL: apiUrl,
      }),
      conversations: bareConversations(options.conversations),
      results: [],
    });

    const database = join(dir, 'fixpath.db');
    const sqlite = new SqliteConversationStore<ConversationRecord>({ path: database });
    const sqliteConversations = await startConversations(sqlite, options.conversations, 'S');
    await sqlite.close();
    contenders.push({
      app: 'fixpath, SQLite',
      server: await startServer(['bin/fixpath.js', 'serve'], { ...slackEnv, FIXPATH_DATABASE: database }),
      conversations: sqliteConversations,
      results: [],
    });

    if (options.redisUrl) {
      const redis = new RedisConversationStore<ConversationRecord>({
        url: options.redisUrl,
        keyPrefix: options.redisPrefix,
        userOf: (r) => r.startedBy.id,
      });
      const redisConversations = await startConversations(redis, options.conversations, 'R');
      await redis.close();
      contenders.push({
        app: 'fixpath, Redis',
        server: await startServer(['bin/fixpath.js', 'serve'], {
          ...slackEnv,
          REDIS_URL: options.redisUrl,
          REDIS_KEY_PREFIX: options.redisPrefix,
        }),
        conversations: redisConversations,
        results: [],
      });
    }

    for (let round = 1; round <= options.rounds; round++) {
      for (const contender of contenders) {
        const result = await runClickLoad({
          url: contender.server.url,
          api,
          conversations: contender.conversations,
          users: options.users,
          warmupMs: options.warmupMs,
          measureMs: options.measureMs,
          signingSecret: SIGNING_SECRET,
          cards,
          team: TEAM,
          channel: CHANNEL,
        });
        contender.results.push(result);
        options.log(
          `end to end, round ${round}: ${contender.app}: ${(result.clicks / result.seconds).toFixed(0)} clicks/s` +
            (result.failed > 0 ? `, ${result.failed} failed` : ''),
        );
      }
    }
    const stale = api.counts.get('chat.postEphemeral') ?? 0;
    if (stale > 0) options.log(`end to end: ${stale} clicks were answered as stale (the load lost track)`);

    return await Promise.all(
      contenders.map(async (c) => {
        const clicks = c.results.reduce((sum, r) => sum + r.clicks, 0);
        const seconds = c.results.reduce((sum, r) => sum + r.seconds, 0);
        return {
          app: c.app,
          clicks,
          seconds,
          failed: c.results.reduce((sum, r) => sum + r.failed, 0),
          rate: clicks / seconds,
          ack: summarise(c.results.flatMap((r) => r.ack)),
          updated: summarise(c.results.flatMap((r) => r.updated)),
          rss: await c.server.rss(),
        };
      }),
    );
  } finally {
    for (const contender of contenders) await contender.server.stop();
    await api.stop();
    if (options.redisUrl) {
      const client = createRedisClient(options.redisUrl, { enableOfflineQueue: true });
      await deleteRedisKeys(client, options.redisPrefix).finally(() => client.disconnect());
    }
  }
}

/** The card as fixpath draws it at triage and at "Fix session store", for the clicks to carry. */
async function cardTemplates(): Promise<{ triage: Card; fix: Card }> {
  const store = new MemoryConversationStore<ConversationRecord>();
  const engine = await benchEngine(store);
  const actor = { id: 'U0BENCH', name: 'bench' };
  const started = await engine.turn({ key: 'card', event: { type: 'start', flowId: FLOW_ID }, actor });
  const chosen = await engine.turn({ key: 'card', event: { type: 'choose', choice: 'store' }, actor });
  return { triage: renderStepMessage(started.view), fix: renderStepMessage(chosen.view) };
}

/** Starts the guide in `count` Slack threads, through the engine on the store the server will open. */
async function startConversations(
  store: ConversationStore<ConversationRecord> & FlowVersionStore,
  count: number,
  tag: string,
): Promise<BenchConversation[]> {
  const engine = await benchEngine(store);
  const conversations: BenchConversation[] = [];
  for (let n = 0; n < count; n++) {
    const threadTs = `${1_750_000_000 + n}.000100`;
    const user = `U0E${tag}${n}`;
    const result = await engine.turn({
      key: slackConversationKey(TEAM, CHANNEL, threadTs),
      event: { type: 'start', flowId: FLOW_ID },
      actor: { id: user, name: 'bench' },
    });
    if (result.outcome !== 'applied' || !result.view.conversationId)
      throw new Error('cannot start a conversation');
    conversations.push({
      threadTs,
      cardTs: `${1_750_000_000 + n}.000200`,
      conversationId: result.view.conversationId,
      revision: result.view.revision,
      atFix: false,
      user,
    });
  }
  return conversations;
}

/** Threads for the bare app: the same clicks, with nothing behind them. */
function bareConversations(count: number): BenchConversation[] {
  return Array.from({ length: count }, (_, n) => ({
    threadTs: `${1_750_000_000 + n}.000100`,
    cardTs: `${1_750_000_000 + n}.000200`,
    conversationId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    revision: 1,
    atFix: false,
    user: `U0EB${n}`,
  }));
}
