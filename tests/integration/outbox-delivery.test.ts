import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { outboxCommand } from '../../src/cli/outbox-command.ts';
import { ConversationNoticeSink } from '../../src/escalation/conversation-notice-sink.ts';
import { createOutboxDeliverer, type OutboxDelivererOptions } from '../../src/escalation/deliver-outbox.ts';
import { planOutboxEntries } from '../../src/escalation/plan-outbox-entries.ts';
import type { EscalationSink } from '../../src/escalation/sink.ts';
import { FileSink } from '../../src/escalation/sinks/file-sink.ts';
import { GitHubIssueSink } from '../../src/escalation/sinks/github-issue-sink.ts';
import { WebhookSink } from '../../src/escalation/sinks/webhook-sink.ts';
import type { Ticket } from '../../src/escalation/ticket.ts';
import { createLogger } from '../../src/logger.ts';
import type { Actor } from '../../src/machine/flow-context.ts';
import type { ConversationRecord } from '../../src/runtime/conversation-record.ts';
import { createEngine } from '../../src/runtime/create-engine.ts';
import { FlowRegistry } from '../../src/runtime/flow-registry.ts';
import type { ConversationStore, FlowVersionStore } from '../../src/stores/conversation-store.ts';
import { MemoryConversationStore } from '../../src/stores/memory/memory-conversation-store.ts';
import { MemoryOutboxStore } from '../../src/stores/memory/memory-outbox-store.ts';
import type { OutboxStore } from '../../src/stores/outbox-store.ts';
import { createRedisClient } from '../../src/stores/redis/redis-connection.ts';
import { RedisOutboxStore } from '../../src/stores/redis/redis-outbox-store.ts';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store.ts';
import { escalate, otherProblem } from '../helpers/escalate.ts';
import { FakeHttpService } from '../helpers/fake-http-service.ts';
import { fakeGitHub, GITHUB_TOKEN } from '../helpers/fake-ticket-apis.ts';
import { ADA } from '../helpers/guides.ts';
import { deleteKeysUnder, REDIS_URL, requireRedis, uniqueKeyPrefix } from '../helpers/redis.ts';
import { sampleTicket } from '../helpers/sample-ticket.ts';

// The deliverer end to end: real stores, real HTTP to fakes of GitHub and a webhook receiver on
// 127.0.0.1, a clock the test moves. Each round is run by hand (`runOnce`), so every wait is exact.

const T0 = Date.parse('2026-03-02T09:00:00Z');
const MINUTE = 60_000;
const SECRET = 'whsec-test-0123456789abcdef';
const GRACE: Actor = { id: 'U0GRACE01', name: 'Grace Hopper' };

const temp = mkdtempSync(join(tmpdir(), 'fixpath-delivery-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let runs = 0;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function started<S extends { start(): Promise<string>; stop(): Promise<void> }>(service: S) {
  const url = await service.start();
  cleanups.push(() => service.stop());
  return url;
}

/** Log lines as JSON objects, for asserting what was logged and at which level. */
function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger({ logLevel: 'debug' }, destination), lines };
}

type Store = ConversationStore<ConversationRecord> & FlowVersionStore;

/** The engine, the outbox and a deliverer on one store, with the test's clock. */
function world(options: {
  store?: Store;
  outbox?: OutboxStore<Ticket>;
  sinks: EscalationSink[];
  deliverer?: Partial<OutboxDelivererOptions>;
  /** Tell each conversation where its ticket went, through the outbox's notice entries. */
  notify?: boolean;
}) {
  const clock = { now: T0 };
  const now = () => clock.now;
  const memoryOutbox = new MemoryOutboxStore<Ticket>();
  const store =
    options.store ?? new MemoryConversationStore<ConversationRecord>({ now, outbox: memoryOutbox });
  const outbox = options.outbox ?? memoryOutbox;
  const engine = createEngine({
    flows: new FlowRegistry([otherProblem()], store),
    store,
    now: () => new Date(clock.now),
    sinksFor: () => options.sinks.map((s) => s.name),
    notifies: () => options.notify ?? false,
    duplicates: { outbox },
  });
  const notices: Array<{ conversationKey: string; text: string }> = [];
  const noticeSink = new ConversationNoticeSink({
    outbox,
    now,
    localSinks: ['file'],
    send: async (conversationKey, text) => {
      notices.push({ conversationKey, text });
    },
  });
  const { logger, lines } = capturedLogger();
  const deliverer = createOutboxDeliverer({
    store: outbox,
    sinks: [...options.sinks, noticeSink],
    logger,
    now,
    random: () => 1,
    backoff: { baseMs: 1_000, maxMs: 10 * MINUTE },
    ...options.deliverer,
  });
  return {
    engine,
    outbox,
    deliverer,
    notices,
    lines,
    clock,
    advanceTo(ms: number) {
      clock.now = ms;
    },
  };
}

function github(apiUrl: string, extra: Partial<ConstructorParameters<typeof GitHubIssueSink>[0]> = {}) {
  return new GitHubIssueSink({ fetch, token: GITHUB_TOKEN, repository: 'acme/support', apiUrl, ...extra });
}

describe('delivering the outbox', () => {
  it('files one issue through two 500s, backing off between attempts, then tells the conversation where', async () => {
    const api = fakeGitHub();
    const w = world({ sinks: [github(await started(api.service))], notify: true });
    await escalate(w.engine, 'slack:T1:C1:1', ADA);
    api.service.failNext(2, { status: 500, body: { message: 'Server Error' } }, (r) => r.method === 'POST');
    const issueEntry = async () => (await w.outbox.list()).find((e) => e.sink === 'github');

    // The notice waits, untried, while its ticket is on the way.
    expect(await w.deliverer.runOnce()).toMatchObject({ claimed: 2, retried: 1, released: 1 });
    const afterFirst = await issueEntry();
    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + 1_000 });
    expect(afterFirst?.lastError).toMatch(/answered 500/);
    expect(await w.deliverer.runOnce()).toMatchObject({ claimed: 0 }); // not due yet

    w.advanceTo(T0 + 1_000);
    expect(await w.deliverer.runOnce()).toMatchObject({ retried: 1 });
    expect((await issueEntry())?.nextAttemptAt).toBe(T0 + 1_000 + 2_000); // doubled

    w.advanceTo(T0 + 3_000);
    expect(await w.deliverer.runOnce()).toMatchObject({ delivered: 1 });
    expect(api.issues).toHaveLength(1);
    expect(api.creates()).toHaveLength(3);
    expect(api.lists()).toHaveLength(2); // looked for an issue before each attempt after the first
    expect(await issueEntry()).toMatchObject({
      status: 'delivered',
      result: { externalId: '1', label: 'acme/support#1', url: 'https://github.test/acme/support/issues/1' },
    });
    expect(w.notices).toEqual([]);

    w.advanceTo(T0 + 5_000);
    expect(await w.deliverer.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(w.notices).toEqual([
      {
        conversationKey: 'slack:T1:C1:1',
        text: 'Filed as acme/support#1: https://github.test/acme/support/issues/1',
      },
    ]);
    expect((await w.outbox.list()).find((e) => e.sink === 'notice')).toMatchObject({
      status: 'delivered',
      attempts: 1, // each wait gave the claim back uncounted
    });
    expect(w.deliverer.counts()).toEqual({
      github: { delivered: 1, linked: 0, retried: 2, deadLettered: 0 },
      notice: { delivered: 1, linked: 0, retried: 0, deadLettered: 0 },
    });
  });

  it('waits out a 429’s Retry-After, holding the sink’s other entries too', async () => {
    const api = fakeGitHub();
    const w = world({
      sinks: [github(await started(api.service))],
      deliverer: { writeLimits: { github: {} } },
    });
    await escalate(w.engine, 'a', ADA);
    await escalate(w.engine, 'b', GRACE, { problem: 'The wiki search returns nothing at all.' });
    api.service.failNext(1, {
      status: 429,
      headers: { 'retry-after': '30' },
      body: { message: 'slow down' },
    });

    expect(await w.deliverer.runOnce()).toMatchObject({ claimed: 2, retried: 1, released: 1 });
    expect(api.creates()).toHaveLength(1);
    expect((await w.outbox.list()).map((e) => e.nextAttemptAt)).toEqual([T0 + 30_000, T0 + 30_000]);
    w.advanceTo(T0 + 29_999);
    expect(await w.deliverer.runOnce()).toMatchObject({ claimed: 0 });
    w.advanceTo(T0 + 30_000);
    expect(await w.deliverer.runOnce()).toMatchObject({ delivered: 2 });
    expect(api.issues).toHaveLength(2);
    expect((await w.outbox.list()).map((e) => e.attempts)).toEqual([2, 1]); // the held one was never counted
  });

  it('retries a request that timed out, and finds the issue GitHub had created meanwhile instead of filing another', async () => {
    const api = fakeGitHub();
    const w = world({ sinks: [github(await started(api.service), { timeoutMs: 200 })] });
    await escalate(w.engine, 'k', ADA);
    api.answerCreatesLate(1, 1_000);

    expect(await w.deliverer.runOnce()).toMatchObject({ retried: 1 });
    expect((await w.outbox.list())[0]?.lastError).toMatch(/no answer within 200 ms/);
    w.advanceTo(T0 + MINUTE);
    expect(await w.deliverer.runOnce()).toMatchObject({ delivered: 1 });
    expect(api.issues).toHaveLength(1);
    expect(api.creates()).toHaveLength(1);
    expect((await w.outbox.list())[0]?.result?.label).toBe('acme/support#1');
  });

  it('does not file twice after a crash between the send and recording it', async () => {
    const api = fakeGitHub();
    const sink = github(await started(api.service));
    const w = world({ sinks: [sink], deliverer: { leaseMs: 2 * MINUTE }, notify: true });
    await escalate(w.engine, 'k', ADA);
    // A replica claims the entry, GitHub creates the issue, and the replica dies before recording it.
    const [claimed] = await w.outbox.claimDue('replica-that-died', T0, 2 * MINUTE, 1);
    if (!claimed) throw new Error('nothing to claim');
    await sink.deliver(claimed);
    expect(api.issues).toHaveLength(1);

    // Its lease still holds; the notice waits for it.
    expect(await w.deliverer.runOnce()).toMatchObject({ claimed: 1, released: 1 });
    w.advanceTo(T0 + 2 * MINUTE);
    // The issue is found, recorded, and the conversation told, in one round.
    expect(await w.deliverer.runOnce()).toMatchObject({ claimed: 2, delivered: 2 });
    expect(api.creates()).toHaveLength(1);
    expect(api.issues).toHaveLength(1);
    expect((await w.outbox.list()).find((e) => e.sink === 'github')).toMatchObject({
      status: 'delivered',
      attempts: 2,
      result: { externalId: '1' },
    });
    expect(w.notices.map((n) => n.text)).toEqual([
      'Filed as acme/support#1: https://github.test/acme/support/issues/1',
    ]);
  });

  it('adds a repeat escalation to the open issue as a comment instead of filing another', async () => {
    const api = fakeGitHub();
    const w = world({
      sinks: [github(await started(api.service))],
      deliverer: { writeLimits: { github: {} } },
      notify: true,
    });
    await escalate(w.engine, 'first', ADA);
    w.advanceTo(T0 + MINUTE);
    const second = await escalate(w.engine, 'second', ADA, { problem: 'Still blank, now on staging too.' });
    expect(second.view.notice?.text).toMatch(/added to it instead of filing a second ticket/);

    api.service.failNext(1, { status: 502 }, (r) => r.method === 'POST');
    // The repeat waits for its ticket, and each notice for its own.
    expect(await w.deliverer.runOnce()).toMatchObject({ claimed: 4, retried: 1, released: 3 });
    w.advanceTo(T0 + 2 * MINUTE);
    // Oldest first: the ticket is filed, then the repeat finds it filed and comments on it; then the notices.
    expect(await w.deliverer.runOnce()).toMatchObject({ claimed: 4, delivered: 3, linked: 1 });

    expect(api.issues).toHaveLength(1);
    expect(api.issues[0]?.comments).toHaveLength(1);
    expect(api.issues[0]?.comments[0]?.body).toContain('Still blank, now on staging too.');
    expect(w.notices.map((n) => [n.conversationKey, n.text]).sort()).toEqual([
      ['first', 'Filed as acme/support#1: https://github.test/acme/support/issues/1'],
      [
        'second',
        'Added to acme/support#1, already open for this problem: https://github.test/acme/support/issues/1',
      ],
    ]);
    const repeat = (await w.outbox.list()).find((e) => e.conversationKey === 'second' && e.sink === 'github');
    expect(repeat?.result).toMatchObject({ linkedTo: { externalId: '1', label: 'acme/support#1' } });
  });

  it('dead-letters a refusal at once, logged as an error and counted', async () => {
    const api = fakeGitHub();
    const w = world({
      sinks: [
        new GitHubIssueSink({
          fetch,
          token: 'wrong-token',
          repository: 'acme/support',
          apiUrl: await started(api.service),
        }),
      ],
    });
    await escalate(w.engine, 'k', ADA);
    expect(await w.deliverer.runOnce()).toMatchObject({ deadLettered: 1 });
    expect((await w.outbox.list('dead'))[0]?.lastError).toMatch(
      /answered 401: \{"message":"Bad credentials"\}/,
    );
    const error = w.lines.find((line) => line.level === 50);
    expect(error).toMatchObject({
      msg: expect.stringMatching(/dead-lettered/),
      sink: 'github',
      refused: true,
    });
    expect(JSON.stringify(w.lines)).not.toContain('wrong-token');
    expect(w.deliverer.counts().github?.deadLettered).toBe(1);
  });
});

describe('through a restart, on SQLite', () => {
  it('delivers what a stopped process left pending, and what it held once its lease lapses', async () => {
    const path = join(temp, `restart-${++runs}`, 'fixpath.db');
    const dir = join(temp, `restart-${runs}`, 'tickets');
    const received: string[] = [];
    const receiver = new FakeHttpService((r) => {
      received.push(String(r.headers['idempotency-key']));
      return { status: 200 };
    });
    const url = await started(receiver);
    const sinks = () => [new FileSink({ dir, files: fs }), new WebhookSink({ fetch, url, secret: SECRET })];

    // The first process files a ticket, claims the webhook entry, and stops before sending anything.
    const first = new SqliteConversationStore<ConversationRecord>({ path, userOf: (r) => r.startedBy.id });
    const before = world({ store: first, outbox: first.outbox<Ticket>(), sinks: sinks() });
    await escalate(before.engine, 'k', ADA);
    await before.outbox.claimDue('first-process', T0, 2 * MINUTE, 10);
    await first.close();

    const second = new SqliteConversationStore<ConversationRecord>({ path, userOf: (r) => r.startedBy.id });
    cleanups.push(() => second.close());
    const after = world({
      store: second,
      outbox: second.outbox<Ticket>(),
      sinks: sinks(),
      deliverer: { leaseMs: 2 * MINUTE },
    });
    expect((await after.outbox.list('pending')).map((e) => e.sink)).toEqual(['file', 'webhook']);
    after.advanceTo(T0 + MINUTE);
    expect(await after.deliverer.runOnce()).toMatchObject({ claimed: 0 }); // both leased by the stopped process
    after.advanceTo(T0 + 2 * MINUTE);
    expect(await after.deliverer.runOnce()).toMatchObject({ claimed: 2, delivered: 2 });
    expect(readdirSync(dir)).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect(await after.outbox.counts()).toEqual({ pending: 0, delivered: 2, dead: 0 });
  });

  it('dead-letters after the last attempt, lists it, and delivers it after `fixpath outbox retry`', async () => {
    const path = join(temp, `retry-${++runs}`, 'fixpath.db');
    let up = false;
    const receiver = new FakeHttpService(() =>
      up ? { status: 200, body: { id: 'INC-7' } } : { status: 503 },
    );
    const url = await started(receiver);
    const store = new SqliteConversationStore<ConversationRecord>({ path, userOf: (r) => r.startedBy.id });
    cleanups.push(() => store.close());
    const w = world({
      store,
      outbox: store.outbox<Ticket>(),
      sinks: [new WebhookSink({ fetch, url, secret: SECRET })],
      deliverer: { maxAttempts: 3 },
    });
    await escalate(w.engine, 'k', ADA);
    for (const at of [T0, T0 + 1_000, T0 + 3_000]) {
      w.advanceTo(at);
      await w.deliverer.runOnce();
    }
    const [dead] = await w.outbox.list('dead');
    expect(dead).toMatchObject({ attempts: 3, lastError: expect.stringMatching(/answered 503/) });
    expect(w.lines.filter((l) => l.level === 50)).toHaveLength(1);
    expect(w.deliverer.counts()).toEqual({
      webhook: { delivered: 0, linked: 0, retried: 2, deadLettered: 1 },
    });
    w.advanceTo(T0 + 60 * MINUTE);
    expect(await w.deliverer.runOnce()).toMatchObject({ claimed: 0 });

    const cli = async (...positionals: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const sink = (lines: string[]) =>
        new Writable({ write: (c, _e, done) => done(void lines.push(String(c))) });
      const io = { stdin: process.stdin, stdout: sink(out), stderr: sink(err), cwd: temp };
      const code = await outboxCommand(
        { positionals, events: undefined, flowsDir: undefined },
        io,
        { FIXPATH_DATABASE: path },
        () => w.clock.now,
      );
      return { code, out: out.join(''), err: err.join('') };
    };
    const listed = await cli('list', 'dead');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`${dead?.id}  dead  webhook  attempts: 3`);
    expect(listed.out).toMatch(/dead-lettered: webhook: POST .* answered 503/);
    expect(listed.out).toContain('0 pending, 0 delivered, 1 dead');

    up = true;
    expect(await cli('retry', dead?.id ?? '')).toMatchObject({
      code: 0,
      out: expect.stringContaining('was dead-lettered'),
    });
    expect(await w.deliverer.runOnce()).toMatchObject({ delivered: 1 });
    expect((await w.outbox.get(dead?.id ?? ''))?.result).toMatchObject({ externalId: 'INC-7' });
    expect(await cli('retry', dead?.id ?? '')).toMatchObject({
      code: 1,
      err: expect.stringContaining('already delivered as INC-7'),
    });
    expect(await cli('retry', 'no-such-id')).toMatchObject({ code: 2 });
    expect((await cli('list')).out).toContain('delivered as INC-7');
  });
});

const withRedis = await requireRedis();

describe.runIf(withRedis)('two deliverers sharing Redis', () => {
  it('never send the same entry: each escalation reaches the receiver exactly once', {
    timeout: 30_000,
  }, async () => {
    const keyPrefix = uniqueKeyPrefix();
    const admin: Redis = createRedisClient(REDIS_URL);
    cleanups.push(async () => {
      await deleteKeysUnder(admin, keyPrefix);
      await admin.quit();
    });
    const received = new Map<string, number>();
    const receiver = new FakeHttpService((r) => {
      const key = String(r.headers['idempotency-key']);
      received.set(key, (received.get(key) ?? 0) + 1);
      return { status: 200, delayMs: 5 };
    });
    const url = await started(receiver);
    const ticket = await sampleTicket();
    const stores = [0, 1, 2].map(() => new RedisOutboxStore<Ticket>({ url: REDIS_URL, keyPrefix }));
    cleanups.push(async () => {
      for (const store of stores) await store.close();
    });
    const [writer, a, b] = stores;
    if (!writer || !a || !b) throw new Error('no stores');
    const COUNT = 40;
    await writer.add(
      Array.from({ length: COUNT }, (_, i) =>
        planOutboxEntries({
          conversationKey: `k${i}`,
          ticket: { ...ticket, conversationId: `conversation-${i}` },
          sinks: ['webhook'],
          now: Date.now(),
        }),
      ).flat(),
    );
    const deliverer = (store: RedisOutboxStore<Ticket>, owner: string) =>
      createOutboxDeliverer({
        store,
        owner,
        sinks: [new WebhookSink({ fetch, url, secret: SECRET })],
        logger: capturedLogger().logger,
        batchSize: 3,
      });
    const both = [deliverer(a, 'replica-a'), deliverer(b, 'replica-b')];
    const delivered = await Promise.all(
      both.map(async (d) => {
        let total = 0;
        for (;;) {
          const round = await d.runOnce();
          total += round.delivered;
          if (round.claimed === 0) return total;
        }
      }),
    );
    expect(received.size).toBe(COUNT);
    expect([...received.values()].filter((n) => n !== 1)).toEqual([]);
    expect(delivered.reduce((sum, n) => sum + n, 0)).toBe(COUNT);
    expect(delivered.every((n) => n > 0)).toBe(true); // both really took part
    expect(await writer.counts()).toEqual({ pending: 0, delivered: COUNT, dead: 0 });
  });
});

/** Timers that only record what was scheduled; the test fires them by hand, in order. */
function fakeTimers() {
  const scheduled: Array<{ callback: () => void; ms: number }> = [];
  const timers = {
    setTimeout: (callback: () => void, ms: number) => {
      const timer = { callback, ms };
      scheduled.push(timer);
      return timer;
    },
    clearTimeout: (handle: unknown) => {
      const i = scheduled.indexOf(handle as (typeof scheduled)[number]);
      if (i >= 0) scheduled.splice(i, 1);
    },
  };
  return { scheduled, timers };
}

describe('the delivery loop', () => {
  it('polls with the timers it is given, answers wake() at once, and stops cleanly', async () => {
    const { scheduled, timers } = fakeTimers();
    const dir = join(temp, `loop-${++runs}`);
    const w = world({ sinks: [new FileSink({ dir, files: fs })], deliverer: { timers, pollMs: 5_000 } });
    const fire = async () => {
      const next = scheduled.shift();
      next?.callback();
      await new Promise((resolve) => setTimeout(resolve, 50));
      return next?.ms;
    };
    w.deliverer.start();
    expect(await fire()).toBe(0); // the first round runs at once: entries left by a restart go first
    expect(scheduled.map((t) => t.ms)).toEqual([5_000]);
    await escalate(w.engine, 'k', ADA);
    w.deliverer.wake();
    expect(scheduled.map((t) => t.ms)).toEqual([0]);
    await fire();
    expect(readdirSync(dir)).toHaveLength(1);
    expect(scheduled.map((t) => t.ms)).toEqual([5_000]);
    await w.deliverer.stop();
    expect(scheduled).toEqual([]);
  });

  it('drains a backlog round after round without waiting for the next poll', async () => {
    const { scheduled, timers } = fakeTimers();
    const dir = join(temp, `backlog-${++runs}`);
    const w = world({
      sinks: [new FileSink({ dir, files: fs })],
      deliverer: { timers, pollMs: 5_000, batchSize: 2 },
    });
    // Five tickets waiting, as after a restart.
    for (const [n, who] of [ADA, GRACE, ADA, GRACE, ADA].entries()) {
      await escalate(w.engine, `backlog-${n}`, { ...who, id: `${who.id}${n}` });
    }
    w.deliverer.start();
    const waits: number[] = [];
    for (let round = 0; round < 4 && scheduled.length > 0; round++) {
      const next = scheduled.shift();
      waits.push(next?.ms ?? -1);
      next?.callback();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Full batches (2, 2) are followed at once; the last (1) waits for the poll.
    expect(waits).toEqual([0, 0, 0, 5_000]);
    expect(readdirSync(dir)).toHaveLength(5);
    await w.deliverer.stop();
  });
});
