// The operations endpoints on a real HTTP server over a real SQLite store and the real guides: what a
// load balancer's probes and a Prometheus scrape see.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createOpsRoutes, type OpsDeps, type OpsRoutes } from '../../src/ops/create-ops-routes.ts';
import type { ConversationRecord } from '../../src/runtime/conversation-record.ts';
import { createEngine, type Engine } from '../../src/runtime/create-engine.ts';
import { FlowRegistry } from '../../src/runtime/flow-registry.ts';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store.ts';
import { ADA, allGuides } from '../helpers/guides.ts';

const logger = createLogger({ logLevel: 'silent' });
const guides = await allGuides();
const servers: Server[] = [];

/** The ops routes on a real server at 127.0.0.1; every other path is a 404, as in the composition root. */
async function serve(deps: Omit<OpsDeps, 'logger'>): Promise<{ url: string; ops: OpsRoutes }> {
  const ops = createOpsRoutes({ logger, defaultMetrics: false, ...deps });
  const server = createServer((req, res) => {
    if (!ops.handle(req, res)) res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ops };
}

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

function openStore() {
  return new SqliteConversationStore<ConversationRecord>({ path: ':memory:', userOf: (r) => r.startedBy.id });
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A strict reader of the Prometheus text format (0.0.4): HELP and TYPE comments, then samples
 * `name{label="value",…} number`. Throws on any line it does not understand, and on a sample whose
 * family has no TYPE.
 */
function parsePrometheus(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sampleLine = new RegExp(`^(${name})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = new RegExp(`^# TYPE (${name}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (type) {
      types.set(type[1] ?? '', type[2] ?? '');
      continue;
    }
    if (new RegExp(`^# HELP ${name} `).test(line)) continue;
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`not Prometheus text: ${line}`);
    const [, metric = '', labelText = '', raw = ''] = match;
    const labels: Record<string, string> = {};
    const rest = labelText.replace(
      /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g,
      (_m, key: string, v: string) => {
        labels[key] = v.replace(/\\(.)/g, (_e, c: string) => (c === 'n' ? '\n' : c));
        return '';
      },
    );
    if (rest !== '') throw new Error(`bad labels in: ${line}`);
    // Values are Go floats: NaN and Inf in any letter case, as strconv.ParseFloat reads them.
    const special = /^([+-]?)(inf|nan)$/i.exec(raw);
    const value = special
      ? special[2]?.toLowerCase() === 'nan'
        ? Number.NaN
        : (special[1] === '-' ? -1 : 1) * Infinity
      : Number(raw);
    if (Number.isNaN(value) && !special) throw new Error(`bad value in: ${line}`);
    const family = metric.replace(/_(bucket|sum|count)$/, '');
    if (!types.has(metric) && !types.has(family)) throw new Error(`no TYPE for ${metric}`);
    samples.push({ name: metric, labels, value });
  }
  return { types, samples };
}

async function scrape(url: string) {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

function sampleValue(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  )?.value;
}

/** One engine turn, timed and reported the way an adapter's turn runner reports it. */
async function observedTurn(
  engine: Engine,
  ops: OpsRoutes,
  key: string,
  event: Parameters<Engine['turn']>[0]['event'],
) {
  const started = performance.now();
  const result = await engine.turn({ key, event, actor: ADA });
  ops.metrics.observeTurn({
    platform: 'web',
    flowId: result.view.flow?.id,
    outcome: result.outcome,
    seconds: (performance.now() - started) / 1000,
    effects: result.effects,
  });
  return result;
}

describe('the ops endpoints', () => {
  const store = openStore();
  const flows = new FlowRegistry(guides, store);
  let url: string;
  let ops: OpsRoutes;

  beforeAll(async () => {
    ({ url, ops } = await serve({ store, flows }));
  });

  it('answer /healthz while the process is up', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answer /readyz with 200 when the store answers and guides are loaded', async () => {
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', guides: guides.length });
  });

  it('leave other paths and other methods alone', async () => {
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const post = await fetch(`${url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serve metrics that parse as Prometheus text and count a turn, a resolution and its latency', async () => {
    const before = (await scrape(url)).samples;
    const labels = { platform: 'web', flow: 'session-expiry', outcome: 'applied' };
    const turnsBefore = sampleValue(before, 'fixpath_turns_total', labels) ?? 0;
    const latencyBefore =
      sampleValue(before, 'fixpath_turn_duration_seconds_count', { platform: 'web' }) ?? 0;

    const key = 'web:ops-test';
    await observedTurn(engine(), ops, key, { type: 'start', flowId: 'session-expiry' });
    await observedTurn(engine(), ops, key, { type: 'choose', choice: 'server' });
    await observedTurn(engine(), ops, key, { type: 'choose', choice: 'good' });
    const resolved = await observedTurn(engine(), ops, key, { type: 'choose', choice: 'good' });
    expect(resolved.view.status).toBe('resolved');

    const { types, samples } = await scrape(url);
    expect(types.get('fixpath_turns_total')).toBe('counter');
    expect(types.get('fixpath_turn_duration_seconds')).toBe('histogram');
    expect(types.get('fixpath_outbox_pending')).toBe('gauge');
    expect(sampleValue(samples, 'fixpath_turns_total', labels)).toBe(turnsBefore + 4);
    expect(
      sampleValue(samples, 'fixpath_resolutions_total', { platform: 'web', flow: 'session-expiry' }),
    ).toBe(1);
    expect(sampleValue(samples, 'fixpath_turn_duration_seconds_count', { platform: 'web' })).toBe(
      latencyBefore + 4,
    );
    const inf = sampleValue(samples, 'fixpath_turn_duration_seconds_bucket', { platform: 'web', le: '+Inf' });
    expect(inf).toBe(latencyBefore + 4);
    expect(sampleValue(samples, 'fixpath_outbox_pending')).toBe(0);
    expect(sampleValue(samples, 'fixpath_outbox_dead_lettered')).toBe(0);
    expect(sampleValue(samples, 'fixpath_store_errors_total')).toBe(0);
  });

  it('count escalations by reason, and label guide ids it does not serve as "other"', async () => {
    const key = 'web:ops-escalation';
    await observedTurn(engine(), ops, key, { type: 'start', flowId: 'session-expiry' });
    const help = await observedTurn(engine(), ops, key, { type: 'escalate' });
    // "I need help now" asks for the ticket details before filing.
    expect(help.view.form).not.toBeNull();
    const filed = await observedTurn(engine(), ops, key, {
      type: 'submit',
      values: { session_timeout: '30m', store_type: 'redis', lb_type: 'none', cookie_max_age: 'Session' },
    });
    expect(filed.view.status).toBe('escalated');
    ops.metrics.observeTurn({
      platform: 'teams',
      flowId: 'made-up-guide',
      outcome: 'expired',
      seconds: 0.001,
    });
    ops.metrics.observeTurn({ platform: 'fax', flowId: undefined, outcome: 'rejected', seconds: 0.001 });

    const { samples } = await scrape(url);
    const escalations = samples.filter((s) => s.name === 'fixpath_escalations_total');
    expect(escalations).toEqual([
      {
        name: 'fixpath_escalations_total',
        labels: { platform: 'web', flow: 'session-expiry', reason: 'help_now' },
        value: 1,
      },
    ]);
    expect(
      sampleValue(samples, 'fixpath_turns_total', { platform: 'teams', flow: 'other', outcome: 'expired' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'fixpath_turns_total', { platform: 'other', flow: 'none', outcome: 'rejected' }),
    ).toBe(1);
    expect(samples.some((s) => s.labels.flow === 'made-up-guide')).toBe(false);
  });

  it('count a turn that threw on the store as an error turn and a store error', async () => {
    const before = sampleValue((await scrape(url)).samples, 'fixpath_store_errors_total') ?? 0;
    const broken = openStore();
    await broken.close();
    const failing = createEngine({ flows, store: broken });
    const error = await failing
      .turn({ key: 'web:broken', event: { type: 'start', flowId: 'session-expiry' }, actor: ADA })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toMatchObject({ code: 'store_unavailable' });
    ops.metrics.observeFailure({ platform: 'slack', flowId: 'session-expiry', seconds: 0.002, error });

    const { samples } = await scrape(url);
    expect(sampleValue(samples, 'fixpath_store_errors_total')).toBe(before + 1);
    expect(
      sampleValue(samples, 'fixpath_turns_total', {
        platform: 'slack',
        flow: 'session-expiry',
        outcome: 'error',
      }),
    ).toBe(1);
  });

  function engine() {
    return createEngine({ flows, store });
  }
});

describe('/readyz when something is wrong', () => {
  it('answers 503 with a JSON reason when the store fails, and counts a store error', async () => {
    const broken = openStore();
    const flows = new FlowRegistry(guides, broken);
    await broken.close();
    const { url } = await serve({ store: broken, flows });

    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      status: 'unavailable',
      reason: 'the conversation store did not answer (store_unavailable)',
      checks: { store: 'failing', guides: 'ok' },
    });
    expect(sampleValue((await scrape(url)).samples, 'fixpath_store_errors_total')).toBe(1);
    // The process itself is still up.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('answers 503 when the store does not answer in time', async () => {
    const hung = { load: () => new Promise<undefined>(() => undefined) };
    const { url } = await serve({ store: hung, flows: new FlowRegistry(guides), timeoutMs: 50 });
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ reason: 'the conversation store did not answer (timeout)' });
  });

  it('answers 503 when no guides are loaded', async () => {
    const { url } = await serve({ store: openStore(), flows: new FlowRegistry([]) });
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'unavailable',
      reason: 'no guides are loaded',
      checks: { store: 'ok', guides: 'failing' },
    });
  });

  it('answers 503 once the process is shutting down, while /healthz stays 200', async () => {
    const { url, ops } = await serve({ store: openStore(), flows: new FlowRegistry(guides) });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    ops.markShuttingDown();
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', reason: 'fixpath is shutting down' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});

describe('the outbox gauges', () => {
  it('show what the outbox callback reports at each scrape', async () => {
    let counts = { pending: 3, deadLettered: 1 };
    const { url } = await serve({
      store: openStore(),
      flows: new FlowRegistry(guides),
      outbox: () => counts,
    });
    let { samples } = await scrape(url);
    expect(sampleValue(samples, 'fixpath_outbox_pending')).toBe(3);
    expect(sampleValue(samples, 'fixpath_outbox_dead_lettered')).toBe(1);
    counts = { pending: 0, deadLettered: 2 };
    ({ samples } = await scrape(url));
    expect(sampleValue(samples, 'fixpath_outbox_pending')).toBe(0);
    expect(sampleValue(samples, 'fixpath_outbox_dead_lettered')).toBe(2);
  });

  it('include Node process metrics unless turned off', async () => {
    const ops = createOpsRoutes({ logger, store: openStore(), flows: new FlowRegistry(guides) });
    const { types } = parsePrometheus(await ops.metrics.render());
    expect(types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });
});
