/**
 * `npm run bench`: fixpath's benchmarks, printed and written to docs/benchmarks.md between its
 * markers. Turn cost: engine turns (load → transition → save) on the memory, SQLite and Redis stores
 * holding 1 000 and 1 000 000 conversations, each case in a process of its own. End to end: signed
 * Slack clicks through the HTTP receiver, fixpath against a bare Bolt app, in the same run.
 * Asserts nothing. Options: --only turns|e2e, --conversations 1000,1000000, --redis <url>, --seconds 10,
 * --no-write.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRedisClient } from '../src/stores/redis/redis-connection.ts';
import { deleteRedisKeys, ROOT } from './bench-records.ts';
import { type EndToEndRow, runEndToEnd } from './end-to-end.ts';
import { formatMegabytes, formatMicros } from './stats.ts';
import type { TurnCostResult } from './turn-cost.ts';

const START_MARKER = '<!-- bench:results:start -->';
const END_MARKER = '<!-- bench:results:end -->';
const DOC = join(ROOT, 'docs', 'benchmarks.md');
const CHILD_TIMEOUT_MS = 15 * 60 * 1000;

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    conversations: { type: 'string', default: '1000,1000000' },
    // A database of its own, so a million benchmark keys never slow another test's SCAN.
    redis: { type: 'string', default: 'redis://127.0.0.1:6379/9' },
    'no-write': { type: 'boolean', default: false },
    /** Seconds measured per contender and round in the end-to-end comparison. */
    seconds: { type: 'string', default: '10' },
  },
});
const sizes = (values.conversations ?? '')
  .split(',')
  .map(Number)
  .filter((n) => Number.isSafeInteger(n) && n > 0)
  .sort((a, b) => a - b);
const log = (line: string) => console.error(`[bench] ${line}`);

const startedAt = new Date();
const workDir = mkdtempSync(join(tmpdir(), 'fixpath-bench-'));
const turnPrefix = `fixpath-bench:${randomUUID()}:`;
const e2ePrefix = `fixpath-bench:${randomUUID()}:`;
const loadBefore = loadavg()[0] ?? 0;
const redisUrl = (await redisVersion(values.redis)) ? values.redis : undefined;
if (!redisUrl) log(`no Redis at ${values.redis}: the Redis rows are left out`);

/** Leaves nothing behind when interrupted: no files, and no million keys in Redis. */
async function cleanUp(): Promise<void> {
  rmSync(workDir, { recursive: true, force: true });
  if (!redisUrl) return;
  const client = createRedisClient(redisUrl, { enableOfflineQueue: true, commandTimeout: 60_000 });
  try {
    for (const prefix of [turnPrefix, e2ePrefix]) await deleteRedisKeys(client, prefix);
  } finally {
    client.disconnect();
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

interface TurnRow extends TurnCostResult {
  /** Where the conversations live and how big they are there. */
  data: string;
  seeding: string;
}

const turnRows: TurnRow[] = values.only === 'e2e' ? [] : await turnCost();
const e2eRows: EndToEndRow[] =
  values.only === 'turns'
    ? []
    : await runEndToEnd({
        dir: join(workDir, 'e2e'),
        redisUrl,
        redisPrefix: e2ePrefix,
        users: 32,
        conversations: 1_024,
        rounds: 2,
        warmupMs: 3_000,
        measureMs: Number(values.seconds) * 1_000,
        log,
      });

await cleanUp();
const section = await render(turnRows, e2eRows);
console.log(section);
if (!values['no-write']) {
  writeDoc(section);
  log(`written to ${DOC}`);
}

async function turnCost(): Promise<TurnRow[]> {
  const rows: TurnRow[] = [];
  const dir = join(workDir, 'turns');
  mkdirSync(dir);
  const prefix = turnPrefix;
  try {
    for (const store of ['memory', 'sqlite', 'redis'] as const) {
      if (store === 'redis' && !redisUrl) continue;
      const where =
        store === 'sqlite'
          ? ['--path', join(dir, 'fixpath.db')]
          : store === 'redis'
            ? ['--url', redisUrl ?? '', '--prefix', prefix]
            : [];
      const redisBefore = store === 'redis' ? await redisUsedMemory(redisUrl) : undefined;
      let seeded = 0;
      for (const size of sizes) {
        let seeding = '';
        try {
          if (store !== 'memory') {
            log(`turn cost: seeding ${store} with conversations ${seeded} … ${size - 1}`);
            const started = performance.now();
            await child(['seed', '--store', store, ...where, '--from', String(seeded), '--to', String(size)]);
            seeding = `${seconds(performance.now() - started)} for ${(size - seeded).toLocaleString('en')}`;
            seeded = size;
          }
          log(`turn cost: ${store} with ${size.toLocaleString('en')} stored conversations`);
          const heap = store === 'memory' && size > 100_000 ? ['--max-old-space-size=8192'] : [];
          const result = JSON.parse(
            await child(['measure', '--store', store, ...where, '--to', String(size)], heap),
          ) as TurnCostResult;
          if (result.seedMs !== undefined) seeding = `${seconds(result.seedMs)} (in the process)`;
          const data = await dataSize(store, join(dir, 'fixpath.db'), redisBefore, result);
          rows.push({ ...result, seeding, data });
        } catch (err) {
          log(`turn cost: ${store} with ${size} conversations failed: ${String(err)}`);
          const nan = Number.NaN;
          rows.push({
            store,
            conversations: size,
            turns: 0,
            median: nan,
            p99: nan,
            mean: nan,
            rss: nan,
            heapUsed: nan,
            seeding,
            data: `failed: ${err instanceof Error ? err.message : String(err)}`,
          });
          break;
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (redisUrl) {
      log('turn cost: deleting the Redis keys');
      const client = createRedisClient(redisUrl, { enableOfflineQueue: true, commandTimeout: 60_000 });
      await deleteRedisKeys(client, prefix).finally(() => client.disconnect());
    }
  }
  return rows;
}

async function dataSize(
  store: TurnCostResult['store'],
  database: string,
  redisBefore: number | undefined,
  result: TurnCostResult,
): Promise<string> {
  if (store === 'memory') return `in the heap (${formatMegabytes(result.heapUsed)} used)`;
  if (store === 'sqlite') {
    const size = [database, `${database}-wal`].reduce(
      (sum, f) => sum + (existsSync(f) ? statSync(f).size : 0),
      0,
    );
    return `SQLite file ${formatMegabytes(size)}`;
  }
  const used = await redisUsedMemory(redisUrl);
  return used === undefined || redisBefore === undefined
    ? 'in Redis'
    : `Redis server +${formatMegabytes(used - redisBefore)}`;
}

/** Runs `bench/turn-cost.ts` with these arguments in a new process; resolves with its last output line. */
function child(args: string[], nodeOptions: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', 'bench/turn-cost.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(last);
      else reject(new Error(`turn-cost.ts ${args.join(' ')} failed (${signal ?? code})`));
    });
  });
}

async function redisVersion(url: string | undefined): Promise<string | undefined> {
  if (!url) return undefined;
  const client = createRedisClient(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return /redis_version:(\S+)/.exec(await client.info('server'))?.[1];
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

async function redisUsedMemory(url: string | undefined): Promise<number | undefined> {
  if (!url) return undefined;
  const client = createRedisClient(url, { enableOfflineQueue: true });
  try {
    return Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
  } finally {
    client.disconnect();
  }
}

async function render(turns: TurnRow[], e2e: EndToEndRow[]): Promise<string> {
  const cpu = cpus();
  const lines = [
    `_Generated by \`npm run bench\` on ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: ` +
      `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${formatMegabytes(totalmem())} RAM` +
      (redisUrl ? `, Redis ${await redisVersion(redisUrl)}` : ', no Redis') +
      `; load average ${loadBefore.toFixed(1)} before and ${(loadavg()[0] ?? 0).toFixed(1)} after._`,
    '',
  ];
  if (turns.length > 0) {
    lines.push(
      '### Turn cost',
      '',
      'One engine turn (load → transition → save) on a live conversation picked at random among those',
      'stored, one at a time, after 500 warm-up turns. RSS is the measuring process after its turns.',
      '',
      '| Store | Stored conversations | Turns | Median | p99 | Process RSS | Data | Seeding |',
      '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      ...turns.map(
        (r) =>
          `| ${r.store} | ${r.conversations.toLocaleString('en')} | ${r.turns.toLocaleString('en')} | ` +
          `${formatMicros(r.median)} | ${formatMicros(r.p99)} | ${formatMegabytes(r.rss)} | ${r.data} | ${r.seeding || '–'} |`,
      ),
      '',
    );
  }
  if (e2e.length > 0) {
    const bare = e2e[0];
    const ratio = (row: EndToEndRow) => (bare && bare.rate > 0 ? (row.rate / bare.rate).toFixed(2) : 'n/a');
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    lines.push(
      '### End to end: signed Slack clicks',
      '',
      '32 people clicking at once, each on the next of its guide cards as soon as the last one was updated',
      '(1 024 conversations), over keep-alive HTTP to `/slack/events`, with a fake Slack Web API on loopback.',
      'A click counts once it was acknowledged and its card updated with `chat.update`. Two alternating',
      `rounds of 3 s warm-up and ${values.seconds} s measured per contender. fixpath logs at \`info\`, as in production.`,
      '',
      '| Server | Clicks/s | vs bare Bolt | Ack p50 | Ack p99 | Card updated p50 | Card updated p99 | Server RSS | Failed |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...e2e.map(
        (r) =>
          `| ${r.app} | ${r.rate.toFixed(0)} | ${ratio(r)} | ${ms(r.ack.median)} | ${ms(r.ack.p99)} | ` +
          `${ms(r.updated.median)} | ${ms(r.updated.p99)} | ${formatMegabytes(r.rss)} | ${r.failed} |`,
      ),
      '',
      'Aims (issue 6): fixpath at 0.85 or more of the bare app with SQLite, 0.75 or more with Redis.',
      '',
    );
  }
  return lines.join('\n');
}

function writeDoc(section: string): void {
  const current = existsSync(DOC)
    ? readFileSync(DOC, 'utf8')
    : `# Benchmarks\n\n${START_MARKER}\n${END_MARKER}\n`;
  const start = current.indexOf(START_MARKER);
  const end = current.indexOf(END_MARKER);
  const generated = `${START_MARKER}\n${section}\n${END_MARKER}`;
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${generated}${current.slice(end + END_MARKER.length)}`
      : `${current.trimEnd()}\n\n${generated}\n`;
  writeFileSync(DOC, next);
}

function seconds(ms: number): string {
  return `${(ms / 1_000).toFixed(1)} s`;
}
