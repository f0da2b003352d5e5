/**
 * One turn-cost case in a process of its own, so its memory is its own: `seed` adds stored
 * conversations to a SQLite file or a Redis prefix; `measure` opens the store as fixpath does and
 * times engine turns (load → transition → save) on conversations picked at random among the stored
 * ones. Prints one JSON line. Run by `bench/run-benchmarks.ts`.
 */
import { parseArgs } from 'node:util';
import type { ConversationEvent } from '../src/runtime/conversation-event.ts';
import type { ConversationRecord } from '../src/runtime/conversation-record.ts';
import type { ConversationStore, FlowVersionStore } from '../src/stores/conversation-store.ts';
import { MemoryConversationStore } from '../src/stores/memory/memory-conversation-store.ts';
import { createRedisClient } from '../src/stores/redis/redis-connection.ts';
import { RedisConversationStore } from '../src/stores/redis/redis-conversation-store.ts';
import { SqliteConversationStore } from '../src/stores/sqlite/sqlite-conversation-store.ts';
import {
  benchEngine,
  conversationKey,
  isLive,
  recordTemplates,
  seedMemory,
  seedRedis,
  seedSqlite,
  userOf,
} from './bench-records.ts';
import { summarise } from './stats.ts';

export interface TurnCostResult {
  store: 'memory' | 'sqlite' | 'redis';
  conversations: number;
  turns: number;
  /** Microseconds per turn. */
  median: number;
  p99: number;
  mean: number;
  /** Resident set size of this process after the turns, in bytes. */
  rss: number;
  heapUsed: number;
  /** How long seeding took in this process (memory only; the others are seeded beforehand). */
  seedMs?: number;
}

const WARMUP_TURNS = 500;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    store: { type: 'string' },
    path: { type: 'string' },
    url: { type: 'string' },
    prefix: { type: 'string' },
    from: { type: 'string', default: '0' },
    to: { type: 'string', default: '0' },
    turns: { type: 'string', default: '5000' },
  },
});
const mode = positionals[0];
const store = values.store as TurnCostResult['store'];
const from = Number(values.from);
const to = Number(values.to);

if (mode === 'seed') {
  const templates = await recordTemplates();
  if (store === 'sqlite' && values.path) {
    // Opening the store creates the file and its schema, as fixpath's first start does.
    await new SqliteConversationStore({ path: values.path }).close();
    seedSqlite(values.path, templates, from, to);
  } else if (store === 'redis' && values.url && values.prefix) {
    const client = createRedisClient(values.url, { enableOfflineQueue: true, commandTimeout: 60_000 });
    try {
      await seedRedis(client, values.prefix, templates, from, to);
    } finally {
      client.disconnect();
    }
  } else throw new Error(`cannot seed ${store}`);
  console.log(JSON.stringify({ seeded: to - from }));
} else if (mode === 'measure') {
  console.log(JSON.stringify(await measure(to, Number(values.turns))));
} else {
  throw new Error('usage: turn-cost.ts seed|measure --store memory|sqlite|redis …');
}

async function measure(conversations: number, turns: number): Promise<TurnCostResult> {
  const userOfRecord = (record: ConversationRecord) => record.startedBy.id;
  let conversationStore: ConversationStore<ConversationRecord> &
    FlowVersionStore & { close?(): Promise<void> };
  let seedMs: number | undefined;
  if (store === 'memory') {
    const memory = new MemoryConversationStore<ConversationRecord>({ userOf: userOfRecord });
    const started = performance.now();
    await seedMemory(memory, await recordTemplates(), 0, conversations);
    seedMs = performance.now() - started;
    conversationStore = memory;
  } else if (store === 'sqlite' && values.path) {
    conversationStore = new SqliteConversationStore<ConversationRecord>({
      path: values.path,
      userOf: userOfRecord,
    });
  } else if (store === 'redis' && values.url && values.prefix) {
    conversationStore = new RedisConversationStore<ConversationRecord>({
      url: values.url,
      keyPrefix: values.prefix,
      userOf: userOfRecord,
    });
  } else throw new Error(`cannot measure ${store}`);

  const engine = await benchEngine(conversationStore);
  const random = mulberry32(conversations);
  /** Where each touched conversation is: its version, and whether it is at "Fix session store" or back at triage. */
  const state = new Map<number, { version: number; atFix: boolean }>();
  const samples: number[] = [];
  for (let i = 0; i < WARMUP_TURNS + turns; i++) {
    let n = Math.floor(random() * conversations);
    while (!isLive(n)) n = Math.floor(random() * conversations);
    const key = conversationKey(n);
    let known = state.get(n);
    if (!known) {
      const loaded = await conversationStore.load(key);
      if (!loaded) throw new Error(`conversation ${key} was not seeded`);
      known = { version: loaded.version, atFix: loaded.value.snapshot.value === 'fix-session-store' };
    }
    const event: ConversationEvent = known.atFix ? { type: 'back' } : { type: 'choose', choice: 'store' };
    const started = process.hrtime.bigint();
    const result = await engine.turn({ key, event, actor: { id: userOf(n) }, revision: known.version });
    const elapsed = Number(process.hrtime.bigint() - started) / 1_000;
    if (result.outcome !== 'applied') throw new Error(`turn on ${key}: ${result.outcome}`);
    state.set(n, { version: result.view.revision, atFix: !known.atFix });
    if (i >= WARMUP_TURNS) samples.push(elapsed);
  }
  const { rss, heapUsed } = process.memoryUsage();
  await conversationStore.close?.();
  const summary = summarise(samples);
  return {
    store,
    conversations,
    turns,
    median: summary.median,
    p99: summary.p99,
    mean: summary.mean,
    rss,
    heapUsed,
    ...(seedMs === undefined ? {} : { seedMs }),
  };
}

/** A small seeded PRNG, so every run turns the same conversations. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
