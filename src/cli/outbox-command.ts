import { existsSync } from 'node:fs';
import { loadConfig, type StoreConfig } from '../config.ts';
import { FixpathError } from '../errors.ts';
import type { Ticket } from '../escalation/ticket.ts';
import type { OutboxEntry, OutboxStatus, OutboxStore } from '../stores/outbox-store.ts';
import { RedisOutboxStore } from '../stores/redis/redis-outbox-store.ts';
import { SqliteOutboxStore } from '../stores/sqlite/sqlite-outbox-store.ts';
import { type CliIo, write } from './cli-io.ts';
import type { CommandArgs } from './main.ts';

const USAGE = `Usage:
  fixpath outbox list [pending|delivered|dead]   the escalation outbox, oldest first
  fixpath outbox retry <id>…                     send dead-lettered (or waiting) entries again now`;

const STATUSES: readonly OutboxStatus[] = ['pending', 'delivered', 'dead'];

/**
 * `fixpath outbox`: what the escalation outbox holds, in the store `fixpath serve` uses (the same
 * environment: FIXPATH_DATABASE, or REDIS_URL and REDIS_KEY_PREFIX), and `retry` to send
 * dead-lettered entries again once their cause is fixed; a running server picks them up.
 */
export async function outboxCommand(
  args: CommandArgs,
  io: CliIo,
  env: Record<string, string | undefined> = process.env,
  now: () => number = Date.now,
): Promise<number> {
  const [action, ...rest] = args.positionals;
  if (action === 'list' && rest.length <= 1) {
    const status = rest[0];
    if (status !== undefined && !STATUSES.includes(status as OutboxStatus)) {
      throw new FixpathError(
        'usage',
        `unknown status "${status}": one of ${STATUSES.join(', ')}\n\n${USAGE}`,
      );
    }
    return withOutbox(loadConfig(env).store, io, async (outbox) => {
      const entries = await outbox.list(status as OutboxStatus | undefined);
      const counts = await outbox.counts();
      write(io.stdout, entries.length === 0 ? 'The outbox is empty.' : entries.map(describe).join('\n'));
      write(io.stdout, `\n${counts.pending} pending, ${counts.delivered} delivered, ${counts.dead} dead`);
      return 0;
    });
  }
  if (action === 'retry' && rest.length > 0) {
    return withOutbox(loadConfig(env).store, io, async (outbox) => {
      let code = 0;
      for (const id of rest) {
        const before = await outbox.get(id);
        const entry = before && (await outbox.retry(id, now()));
        if (!before || !entry) {
          write(io.stderr, `${id}: no such outbox entry`);
          code = 2;
        } else if (entry.status === 'delivered') {
          write(io.stderr, `${id}: already delivered${resultText(entry)}; nothing to retry`);
          code = Math.max(code, 1);
        } else if (entry.leaseUntil !== undefined && entry.leaseUntil > now()) {
          write(io.stderr, `${id}: being delivered right now; nothing to retry`);
          code = Math.max(code, 1);
        } else {
          const was = before.status === 'dead' ? 'dead-lettered' : 'waiting';
          write(io.stdout, `${id}: was ${was}; it will be sent on the server's next round`);
        }
      }
      return code;
    });
  }
  throw new FixpathError('usage', USAGE);
}

async function withOutbox(
  store: StoreConfig,
  io: CliIo,
  run: (outbox: OutboxStore<Ticket>) => Promise<number>,
): Promise<number> {
  if (store.kind === 'sqlite' && !existsSync(store.path)) {
    write(io.stdout, `No outbox yet: ${store.path} does not exist (nothing has been escalated).`);
    return 0;
  }
  const outbox =
    store.kind === 'redis'
      ? new RedisOutboxStore<Ticket>({ url: store.url, keyPrefix: store.keyPrefix })
      : new SqliteOutboxStore<Ticket>({ path: store.path });
  try {
    return await run(outbox);
  } finally {
    await outbox.close();
  }
}

/** One entry in two lines: what and where, then how it went. */
function describe(entry: OutboxEntry<Ticket>): string {
  const head = `${entry.id}  ${entry.status}  ${entry.sink}  attempts: ${entry.attempts}  guide: ${entry.guideId}  created ${when(entry.createdAt)}`;
  const detail =
    entry.status === 'delivered'
      ? `delivered${resultText(entry)}`
      : entry.status === 'dead'
        ? `dead-lettered: ${entry.lastError ?? 'no error recorded'}`
        : `next attempt ${when(entry.nextAttemptAt)}${entry.lastError ? `; last error: ${entry.lastError}` : ''}`;
  const link = entry.linkTo ? `  (adds to ${entry.linkTo})` : '';
  return `${head}${link}\n    ${detail}`;
}

function resultText(entry: OutboxEntry<Ticket>): string {
  const result = entry.result;
  if (!result) return '';
  const name = result.label ?? result.externalId;
  return `${name ? ` as ${name}` : ''}${result.url ? ` ${result.url}` : ''}`;
}

function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
