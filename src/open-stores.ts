import type { StoredTeamsReference } from './adapters/teams/create-teams-bot.ts';
import type { StoreConfig } from './config.ts';
import type { Ticket } from './escalation/ticket.ts';
import type { ConversationRecord } from './runtime/conversation-record.ts';
import type { ConversationStore, FlowVersionStore } from './stores/conversation-store.ts';
import type { DedupeStore } from './stores/dedupe-store.ts';
import type { OutboxStore } from './stores/outbox-store.ts';
import { createRedisClient } from './stores/redis/redis-connection.ts';
import { RedisConversationStore } from './stores/redis/redis-conversation-store.ts';
import { RedisDedupeStore } from './stores/redis/redis-dedupe-store.ts';
import { RedisOutboxStore } from './stores/redis/redis-outbox-store.ts';
import { SqliteConversationStore } from './stores/sqlite/sqlite-conversation-store.ts';
import { SqliteDedupeStore } from './stores/sqlite/sqlite-dedupe-store.ts';

export interface Stores {
  conversations: ConversationStore<ConversationRecord> & FlowVersionStore;
  /** Where Teams conversation references are kept for proactive messages (their own keys, no user index). */
  teamsReferences: ConversationStore<StoredTeamsReference>;
  dedupe: DedupeStore;
  /** Escalation tickets waiting for (or done with) delivery to each sink. */
  outbox: OutboxStore<Ticket>;
  /** Where the data lives, for the start-up log line. */
  description: string;
  close(): Promise<void>;
}

const userOf = (record: ConversationRecord) => record.startedBy.id;

/** Opens the configured stores: one SQLite file by default, or one shared Redis for several replicas. */
export function openStores(config: StoreConfig): Stores {
  if (config.kind === 'redis') {
    const client = createRedisClient(config.url);
    const conversations = new RedisConversationStore<ConversationRecord>({
      client,
      keyPrefix: config.keyPrefix,
      userOf,
    });
    const dedupe = new RedisDedupeStore({ client, keyPrefix: config.keyPrefix });
    const teamsReferences = new RedisConversationStore<StoredTeamsReference>({
      client,
      keyPrefix: config.keyPrefix,
    });
    const outbox = new RedisOutboxStore<Ticket>({ client, keyPrefix: config.keyPrefix });
    return {
      outbox,
      conversations,
      teamsReferences,
      dedupe,
      description: `Redis at ${redactUrl(config.url)}`,
      async close() {
        client.disconnect();
      },
    };
  }
  const conversations = new SqliteConversationStore<ConversationRecord>({ path: config.path, userOf });
  const dedupe = new SqliteDedupeStore({ path: config.path });
  const teamsReferences = new SqliteConversationStore<StoredTeamsReference>({ path: config.path });
  // The outbox shares the conversations' connection, so an escalation and its entries are one transaction.
  const outbox = conversations.outbox<Ticket>();
  return {
    outbox,
    conversations,
    teamsReferences,
    dedupe,
    description: `SQLite at ${config.path}`,
    async close() {
      await dedupe.close();
      await teamsReferences.close();
      await conversations.close();
    },
  };
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
