import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Redis } from 'ioredis';
import { loadFlowFiles } from '../src/flow/load-flow-files.ts';
import type { ConversationRecord } from '../src/runtime/conversation-record.ts';
import { createEngine, DEFAULT_IDLE_MS, type Engine } from '../src/runtime/create-engine.ts';
import { FlowRegistry } from '../src/runtime/flow-registry.ts';
import type { ConversationStore, FlowVersionStore } from '../src/stores/conversation-store.ts';
import { MemoryConversationStore } from '../src/stores/memory/memory-conversation-store.ts';

export const ROOT = join(import.meta.dirname, '..');
export const FLOWS_DIR = join(ROOT, 'flows');
export const FLOW_ID = 'session-expiry';

/** The engine keeps a conversation this long after its last write: the idle time plus a week of grace. */
export const STORED_TTL_MS = DEFAULT_IDLE_MS + 7 * 24 * 60 * 60 * 1000;
/** One stored conversation in ten is a finished escalation (a bigger record with its ticket); the rest are live. */
const ESCALATED_EVERY = 10;
const CONVERSATIONS_PER_USER = 10;

type Store = ConversationStore<ConversationRecord> & FlowVersionStore;

/** An engine over the repository's guides and the store given, as `fixpath serve` builds it. */
export async function benchEngine(store: Store): Promise<Engine> {
  const { flows, issues } = await loadFlowFiles([FLOWS_DIR]);
  if (issues.length > 0) throw new Error(`the guides have issues: ${JSON.stringify(issues)}`);
  const registry = new FlowRegistry(flows, store);
  await registry.remember();
  return createEngine({ flows: registry, store });
}

export const conversationKey = (n: number) => `slack:T0BENCH:C0BENCH:${1_700_000_000 + n}.000100`;
export const userOf = (n: number) => `U0B${Math.floor(n / CONVERSATIONS_PER_USER)}`;
/** Conversation `n` is one the benchmark turns (live, on the session-expiry guide), not a finished one. */
export const isLive = (n: number) => n % ESCALATED_EVERY !== ESCALATED_EVERY - 1;
const conversationId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A stored conversation as JSON text with its version, for any `n`: made from two real records. */
export interface RecordTemplates {
  json(n: number): string;
  version(n: number): number;
  /** The template conversation `n` is made from, with its `@@ID@@`, `@@KEY@@` and `@@USER@@` placeholders. */
  raw(n: number): { json: string; version: number };
}

/**
 * Two real records, made by the engine itself, as templates for seeding: a live conversation at the
 * "Fix session store" step, and one escalated at the load balancer with its ticket.
 */
export async function recordTemplates(): Promise<RecordTemplates> {
  const store = new MemoryConversationStore<ConversationRecord>();
  const engine = await benchEngine(store);
  const actor = { id: '@@USER@@', name: 'bench user' };
  const walk = async (key: string, events: Parameters<Engine['turn']>[0]['event'][]) => {
    for (const event of events) await engine.turn({ key, event, actor });
    const loaded = await store.load(key);
    if (!loaded) throw new Error('the template conversation was not stored');
    return loaded;
  };
  const start = { type: 'start', flowId: FLOW_ID } as const;
  const choose = (choice: string) => ({ type: 'choose', choice }) as const;
  const live = await walk('live', [start, choose('store')]);
  const escalated = await walk('escalated', [
    start,
    choose('store'),
    choose('bad'),
    choose('bad'),
    choose('bad'),
    {
      type: 'submit',
      values: {
        session_timeout: '30m',
        store_type: 'redis',
        store_ttl: '1800',
        lb_type: 'aws',
        sticky_sessions: false,
        cookie_max_age: 'Session',
      },
    },
  ]);
  if (escalated.value.status !== 'escalated') throw new Error('the escalated template did not escalate');
  const parts = (record: ConversationRecord) =>
    JSON.stringify({ ...record, id: '@@ID@@', key: '@@KEY@@' })
      .replaceAll(record.id, '@@ID@@')
      .split(/(@@ID@@|@@KEY@@|@@USER@@)/);
  const templates = [parts(escalated.value), parts(live.value)];
  const fill = (pieces: string[], n: number) =>
    pieces
      .map((piece) =>
        piece === '@@ID@@'
          ? conversationId(n)
          : piece === '@@KEY@@'
            ? conversationKey(n)
            : piece === '@@USER@@'
              ? userOf(n)
              : piece,
      )
      .join('');
  return {
    json: (n) => fill(templates[isLive(n) ? 1 : 0] ?? [], n),
    version: (n) => (isLive(n) ? live.version : escalated.version),
    raw: (n) => ({
      json: (templates[isLive(n) ? 1 : 0] ?? []).join(''),
      version: isLive(n) ? live.version : escalated.version,
    }),
  };
}

/** Adds conversations `from` … `to - 1` to a SQLite store file: one transaction, one prepared statement. */
export function seedSqlite(path: string, templates: RecordTemplates, from: number, to: number): void {
  const db = new Sqlite(path);
  try {
    db.pragma('synchronous = OFF');
    const insert = db.prepare(
      'INSERT INTO conversations (key, value, version, expires_at, user_id) VALUES (?, ?, ?, ?, ?)',
    );
    const expiresAt = Date.now() + STORED_TTL_MS;
    db.transaction(() => {
      for (let n = from; n < to; n++) {
        insert.run(conversationKey(n), templates.json(n), templates.version(n), expiresAt, userOf(n));
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/**
 * Builds conversations inside Redis from the two templates, in the layout of the Redis store: a hash
 * `{ v, d, u }` with its TTL per conversation, and per user a sorted set of conversation keys scored
 * by expiry time. Keys, ids and users follow `conversationKey`, `conversationId` and `userOf`.
 * ARGV: prefix, from, to, live JSON, live version, escalated JSON, escalated version, TTL ms, expiry ms.
 */
const SEED_CONVERSATIONS = `
local prefix, from, to = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local ttl, expires = ARGV[8], ARGV[9]
for n = from, to - 1 do
  local live = n % ${ESCALATED_EVERY} ~= ${ESCALATED_EVERY - 1}
  local template = live and ARGV[4] or ARGV[6]
  local key = 'slack:T0BENCH:C0BENCH:' .. string.format('%d', 1700000000 + n) .. '.000100'
  local user = 'U0B' .. string.format('%d', math.floor(n / ${CONVERSATIONS_PER_USER}))
  local id = string.format('00000000-0000-4000-8000-%012x', n)
  local json = template:gsub('@@ID@@', id):gsub('@@KEY@@', key):gsub('@@USER@@', user)
  local hash = prefix .. 'conversation:' .. key
  redis.call('HSET', hash, 'v', live and ARGV[5] or ARGV[7], 'd', json, 'u', user)
  redis.call('PEXPIRE', hash, ttl)
  redis.call('ZADD', prefix .. 'user:' .. user, expires, key)
  redis.call('PEXPIREAT', prefix .. 'user:' .. user, expires)
end
return to - from
`;

/**
 * Adds conversations `from` … `to - 1` to Redis: the records are built on the server by a Lua script
 * from the two templates, a few thousand per call, so neither the network nor this process is the
 * bottleneck (pipelining a million HSETs from here takes minutes).
 */
export async function seedRedis(
  client: Redis,
  prefix: string,
  templates: RecordTemplates,
  from: number,
  to: number,
): Promise<void> {
  const BATCH = 5_000;
  const expiresAt = Date.now() + STORED_TTL_MS;
  const live = templates.raw(0);
  const escalated = templates.raw(ESCALATED_EVERY - 1);
  for (let start = from; start < to; start += BATCH) {
    await client.eval(
      SEED_CONVERSATIONS,
      0,
      prefix,
      start,
      Math.min(to, start + BATCH),
      live.json,
      live.version,
      escalated.json,
      escalated.version,
      STORED_TTL_MS,
      expiresAt,
    );
  }
}

/** Adds conversations `from` … `to - 1` to a memory store, through its own `save`. */
export async function seedMemory(
  store: MemoryConversationStore<ConversationRecord>,
  templates: RecordTemplates,
  from: number,
  to: number,
): Promise<void> {
  for (let n = from; n < to; n++) {
    const record = JSON.parse(templates.json(n)) as ConversationRecord;
    await store.save(conversationKey(n), record, { expectedVersion: null, ttlMs: STORED_TTL_MS });
  }
}

/** Deletes every key under `prefix`, a few thousand at a time, without blocking the server. */
export async function deleteRedisKeys(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5_000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
