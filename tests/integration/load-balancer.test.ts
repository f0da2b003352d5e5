import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/runtime/conversation-record.ts';
import { createRedisClient } from '../../src/stores/redis/redis-connection.ts';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store.ts';
import { FakeSlackApi } from '../helpers/fake-slack-api.ts';
import { FixpathProcess } from '../helpers/fixpath-process.ts';
import { FLOWS_DIR } from '../helpers/guides.ts';
import { deleteKeysUnder, REDIS_URL, requireRedis, uniqueKeyPrefix } from '../helpers/redis.ts';
import { RoundRobinProxy } from '../helpers/round-robin-proxy.ts';
import { CHANNEL, SIGNING_SECRET, TEAM } from '../helpers/slack-requests.ts';
import { SlackThreads } from '../helpers/slack-threads.ts';
import {
  type ConversationScript,
  type ScriptStep,
  slackThreadOf,
  type WalkReport,
  walkSlackConversation,
} from '../helpers/walk-slack-conversation.ts';

/**
 * The failure fixpath's first guide is about, reproduced on fixpath itself: sessions that do not
 * survive a load balancer. Real `fixpath serve` processes behind a round-robin proxy, every click of
 * every conversation on the other replica than the one before, one replica killed halfway; then one
 * process on SQLite killed halfway and started again on the same file.
 */

const CONVERSATIONS = 500;
const IN_FLIGHT = 40;
const FLOW_TITLE = 'Fix a session that expires fast';
const TEST_TIMEOUT_MS = 170_000;
/** Where the processes post tickets (the conversations run in CHANNEL). */
const SUPPORT_CHANNEL = 'C0TICKETS';
/** A killed replica's claims on tickets lapse this soon, so the survivor takes them over in the test's time. */
const OUTBOX_LEASE = '15s';
/** How long tickets may take to arrive after the walk: a lapsed lease, a poll, a notice's wait. */
const DELIVERY_TIMEOUT_MS = 45_000;
/** How long a process's calls to Slack are held before it is killed, so turns pile up unshown. */
const HOLD_MS = 500;

const withRedis = await requireRedis();

interface Ending {
  status: 'resolved' | 'escalated';
  /** Text the last drawing of the card shows (for an escalation, the ticket with this conversation's values). */
  shows: string[];
  /** What this conversation alone typed, expected in its ticket and its stored record. */
  marker?: string;
}

type Script = ConversationScript & { ending: Ending };

/** Form values that only conversation `n` types, so a ticket filed for the wrong thread shows. */
function details(n: number) {
  const marker = `Session (set by conversation ${n})`;
  return {
    marker,
    values: {
      session_timeout: `${30 + (n % 90)}m`,
      store_type: 'redis',
      store_ttl: '1800',
      lb_type: 'aws',
      sticky_sessions: false,
      cookie_max_age: marker,
    },
  };
}

/** Four paths through the session-expiry guide: two end resolved, two escalated with a form. */
function scriptFor(n: number, base: number): Script {
  const kind = n % 4;
  const steps: ScriptStep[] = [];
  let ending: Ending;
  const { marker, values } = details(n);
  if (kind === 0) {
    steps.push(
      { click: 'Fix session store', title: 'Fix session store' },
      { click: 'Session persists', title: 'Verification' },
      { click: 'All three hold', title: 'Session fixed' },
      { click: 'Yes', title: 'Session fixed' },
    );
    ending = { status: 'resolved', shows: ['✓ Resolved', 'Thanks for your feedback.'] };
  } else if (kind === 1) {
    steps.push(
      { click: 'Fix server timeout', title: 'Increase session timeout and cookie maxAge' },
      { click: 'Back', title: 'Quick triage — pick your path' },
      { click: 'Confirm the expiry pattern', title: 'Confirm the expiry pattern' },
      { click: /^I know the pattern/, title: 'Does the session expire after a fixed time or on refresh?' },
      { click: 'On page refresh', title: 'Use sticky sessions or shared session store' },
      { click: 'Session persists', title: 'Verification' },
      { click: 'All three hold', title: 'Session fixed' },
      { click: 'No', title: 'Session fixed' },
    );
    ending = { status: 'resolved', shows: ['✓ Resolved', 'Thanks for your feedback.'] };
  } else if (kind === 2) {
    steps.push(
      { click: 'Fix session store', title: 'Fix session store' },
      { click: /^Still expires: check the session cookie/, title: 'Set the session cookie maxAge' },
      {
        click: /^Still expires: check the load balancer/,
        title: 'Use sticky sessions or shared session store',
      },
      { click: /^Cannot change load balancer/, title: 'Escalate to infrastructure' },
      { submit: values, title: 'Escalate to infrastructure' },
    );
    ending = { status: 'escalated', shows: [':ticket: Escalated', marker], marker };
  } else {
    steps.push(
      { click: 'When to contact support', title: 'When to get help' },
      { click: /^Adjusted timeout/, title: 'Contact backend or infrastructure support' },
      {
        submit: values,
        refuseFirst: { ...values, session_timeout: 'forever' },
        title: 'Contact backend or infrastructure support',
      },
    );
    ending = { status: 'escalated', shows: [':ticket: Escalated', marker], marker };
  }
  return {
    thread: `${base + n}.000100`,
    user: { id: `U0LB${String(n).padStart(5, '0')}`, name: `person-${n}` },
    mention: 'my session keeps expiring after a few minutes',
    flowId: 'session-expiry',
    flowTitle: FLOW_TITLE,
    firstTitle: 'Quick triage — pick your path',
    steps,
    ending,
  };
}

const conversationKey = (script: Script) => `slack:${TEAM}:${CHANNEL}:${script.thread}`;
const turnsOf = (script: Script) => 1 + script.steps.length;

/**
 * A Slack workspace whose Web API is a fake on loopback, shared by every fixpath process. Each
 * process reaches it through a gate of its own, which the test can close to hold that process's calls.
 */
async function fakeSlack() {
  const api = new FakeSlackApi();
  const apiUrl = await api.start();
  const threads = new SlackThreads(api);
  threads.start();
  const gates: RoundRobinProxy[] = [];
  return {
    threads,
    /** The environment of one more fixpath process, and the gate its Slack calls pass. */
    async env(): Promise<{ env: Record<string, string>; gate: RoundRobinProxy }> {
      const gate = new RoundRobinProxy([apiUrl]);
      gates.push(gate);
      const url = await gate.start();
      const env = {
        SLACK_BOT_TOKEN: 'xoxb-0000000000-0000000000-testtokentesttoken',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `${url}/api/`,
        SLACK_SUPPORT_CHANNEL: SUPPORT_CHANNEL,
        FIXPATH_OUTBOX_LEASE: OUTBOX_LEASE,
        FIXPATH_FLOWS_DIR: FLOWS_DIR,
      };
      return { env, gate };
    },
    async stop() {
      threads.stop();
      for (const gate of gates) await gate.stop();
      await api.stop();
    },
  };
}

/**
 * Kills a process at the worst moment for its conversations: after it acknowledged clicks and saved
 * their turns, before Slack heard of them. Its calls to Slack are held for a while first, so that
 * every turn it takes in that time is saved but not yet shown; then SIGKILL, which no code survives.
 */
async function killMidTurn(server: FixpathProcess, gate: RoundRobinProxy): Promise<void> {
  gate.hold();
  await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
  await server.kill();
}

interface Walked {
  reports: WalkReport[];
  turns: number;
  /** Turns the cards had shown when the halfway action began, and when it was done. */
  halfway: { at: number; done: number } | undefined;
  ms: number;
}

/**
 * Walks every script, `IN_FLIGHT` at a time, and runs `atHalfway` (without pausing anyone) once half
 * of all the turns have shown on their cards.
 */
async function walkAll(
  scripts: Script[],
  options: { url: () => string; threads: SlackThreads; atHalfway: () => Promise<void> },
): Promise<Walked> {
  const total = scripts.reduce((sum, s) => sum + turnsOf(s), 0);
  const started = Date.now();
  let turns = 0;
  let halfway: Walked['halfway'];
  let halfwayDone: Promise<void> = Promise.resolve();
  const onTurn = () => {
    turns++;
    if (halfway === undefined && turns >= total / 2) {
      halfway = { at: turns, done: turns };
      halfwayDone = options.atHalfway().then(() => {
        if (halfway) halfway.done = turns;
      });
    }
  };
  const reports: WalkReport[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < scripts.length; i = next++) {
      const script = scripts[i];
      if (!script) continue;
      reports[i] = await walkSlackConversation(script, {
        url: options.url,
        threads: options.threads,
        patienceMs: 4_000,
        turnTimeoutMs: 40_000,
        onTurn,
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await halfwayDone;
  return { reports, turns, halfway, ms: Date.now() - started };
}

/**
 * Waits until every escalated conversation has its ticket in the support channel and its notice in
 * the thread (tickets go out from the outbox, after the turn), then a little longer, so a ticket
 * sent twice would show. Returns how long the last ticket took after the walk.
 */
async function ticketsDelivered(scripts: Script[], threads: SlackThreads): Promise<number> {
  const started = Date.now();
  const escalated = scripts.filter((s) => s.ending.status === 'escalated');
  const done = () =>
    escalated.every((s) => {
      const thread = threads.thread(s.thread);
      return thread.tickets.length > 0 && thread.notices.length > 0;
    });
  while (!done() && Date.now() - started < DELIVERY_TIMEOUT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const waited = Date.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  return waited;
}

const KINDS = ['resolved', 'resolved after Back', 'escalated at the load balancer', 'escalated from triage'];

/**
 * Everything that went against the scripts, one line per conversation that did: the walk's own
 * report, then the thread's card, tickets and stored record against its script.
 */
function findings(
  scripts: Script[],
  walked: Walked,
  threads: SlackThreads,
  stored: Map<string, { version: number; record: ConversationRecord } | undefined>,
): string[] {
  const found: string[] = [];
  for (const [i, script] of scripts.entries()) {
    const problems = [...(walked.reports[i]?.problems ?? ['never walked'])];
    const say = (what: string) => problems.push(what);
    const thread = threads.thread(script.thread);
    const turns = turnsOf(script);

    const cards = [...thread.cards.values()];
    if (cards.length !== 1) say(`${cards.length} guide cards in the thread`);
    const renders = cards.at(-1) ?? [];
    const last = renders.at(-1);
    if (last?.revision !== turns) say(`the card ends at revision ${last?.revision}, not ${turns}`);
    const shown = JSON.stringify(last?.blocks ?? []);
    for (const text of script.ending.shows)
      if (!shown.includes(text)) say(`the card does not show "${text}"`);
    const revisions = renders.map((r) => r.revision).filter((r, n, all) => n === 0 || all[n - 1] !== r);
    const expected = Array.from({ length: turns }, (_, n) => n + 1);
    if (revisions.join() !== expected.join()) say(`the card went through revisions ${revisions.join()}`);
    const titles = [script.firstTitle, ...script.steps.map((s) => s.title)];
    for (const render of renders) {
      const title = `${FLOW_TITLE}: ${titles[render.revision - 1]}`;
      if (render.text !== title) say(`revision ${render.revision} drawn as "${render.text}"`);
    }
    const ids = new Set(renders.map((r) => r.conversationId));

    const ticketsWanted = script.ending.status === 'escalated' ? 1 : 0;
    if (thread.tickets.length !== ticketsWanted)
      say(`${thread.tickets.length} tickets posted, not ${ticketsWanted}`);
    if (thread.notices.length !== ticketsWanted)
      say(`told ${thread.notices.length} times where the ticket is, not ${ticketsWanted}`);
    for (const notice of thread.notices) {
      if (!/^Filed as a message in the support channel: https:/.test(String(notice.args.text)))
        say(`told "${String(notice.args.text)}"`);
    }
    for (const ticket of thread.tickets) {
      if (ticket.args.channel !== SUPPORT_CHANNEL) say(`a ticket posted in ${String(ticket.args.channel)}`);
      const text = JSON.stringify(ticket.args.blocks);
      if (script.ending.marker && !text.includes(script.ending.marker))
        say("a ticket without this conversation's values");
      if (!text.includes(script.user.id)) say('a ticket that does not name who asked');
    }

    const entry = stored.get(conversationKey(script));
    if (entry) {
      const { version, record } = entry;
      if (version !== turns) say(`stored at version ${version}, not ${turns}`);
      if (record.status !== script.ending.status) say(`stored as ${record.status}`);
      if (record.startedBy.id !== script.user.id) say(`stored as started by ${record.startedBy.id}`);
      if (ids.size !== 1 || !ids.has(record.id))
        say(`the card was drawn for ${[...ids].join(', ')}, not ${record.id}`);
      if (record.escalations.length !== ticketsWanted) say(`${record.escalations.length} escalations stored`);
      const marker = script.ending.marker;
      if (marker && !record.escalations.every((e) => JSON.stringify(e.ticket).includes(marker)))
        say("a stored ticket without this conversation's values");
    } else say('no stored conversation');
    if (problems.length > 0) found.push(`${script.thread} (${KINDS[i % 4]}): ${problems.join('; ')}`);
  }
  return found;
}

/** The findings, shortened for an assertion message. */
function summary(found: string[]): string[] {
  if (found.length === 0) return [];
  const head = `${found.length} of ${CONVERSATIONS} conversations went against their scripts`;
  return [head, ...found.slice(0, 30), ...(found.length > 30 ? [`… and ${found.length - 30} more`] : [])];
}

function describeRun(name: string, walked: Walked, proxy: RoundRobinProxy, extra: string): void {
  const retries = walked.reports.reduce((sum, r) => sum + (r?.retries ?? 0), 0);
  const failed = proxy.log.filter((r) => r.status >= 500).length;
  console.info(
    `${name}: ${walked.reports.length} conversations, ${walked.turns} turns, ${proxy.log.length} requests ` +
      `(${failed} answered 502/503 by the proxy) in ${(walked.ms / 1000).toFixed(1)} s; ${retries} retries; ` +
      `killed after ${walked.halfway?.at} turns; ${extra}`,
  );
}

describe.runIf(withRedis)('two fixpath replicas sharing Redis behind a round-robin load balancer', () => {
  const prefix = uniqueKeyPrefix();
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it(
    'walks 500 conversations to their scripted ends, each click on the other replica, through one replica killed halfway',
    async () => {
      const slack = await fakeSlack();
      cleanups.push(() => slack.stop());
      const shared = { REDIS_URL, REDIS_KEY_PREFIX: prefix };
      const [one, two] = [await slack.env(), await slack.env()];
      const replicas = await Promise.all([
        FixpathProcess.start({ ...one.env, ...shared }),
        FixpathProcess.start({ ...two.env, ...shared }),
      ]);
      for (const replica of replicas) cleanups.push(() => replica.kill());
      const [first, second] = replicas as [FixpathProcess, FixpathProcess];
      const proxy = new RoundRobinProxy([first.url, second.url], {
        routeKey: (body) => slackThreadOf(body),
      });
      const url = await proxy.start();
      cleanups.push(() => proxy.stop());
      const redis: Redis = createRedisClient(REDIS_URL);
      cleanups.push(async () => {
        await deleteKeysUnder(redis, prefix);
        redis.disconnect();
      });

      const scripts = Array.from({ length: CONVERSATIONS }, (_, n) => scriptFor(n, 1_800_000_000));
      let held = -1;
      let killedAt = -1;
      const walked = await walkAll(scripts, {
        url: () => url,
        threads: slack.threads,
        atHalfway: async () => {
          held = proxy.log.length;
          await killMidTurn(second, two.gate);
          killedAt = proxy.log.length;
        },
      });
      const deliveredAfter = await ticketsDelivered(scripts, slack.threads);

      const stored = new Map<string, { version: number; record: ConversationRecord } | undefined>();
      for (const script of scripts) {
        const key = conversationKey(script);
        const [version, json] = await redis.hmget(`${prefix}conversation:${key}`, 'v', 'd');
        stored.set(key, version && json ? { version: Number(version), record: JSON.parse(json) } : undefined);
      }
      const before = proxy.log.slice(0, killedAt);
      const after = proxy.log.slice(killedAt);
      const caught = proxy.log.slice(held, killedAt).filter((r) => r.upstream === 1 && r.status === 200);
      describeRun(
        'Redis, two replicas',
        walked,
        proxy,
        `${caught.length} requests answered by the replica while its Slack calls were held; requests served before the kill: ${before.filter((r) => r.upstream === 0).length} + ${before.filter((r) => r.upstream === 1).length}, after: ${after.filter((r) => r.upstream === 0).length} + ${after.filter((r) => r.upstream === 1).length}; errors logged by the survivor: ${first.errors().length}; last ticket ${deliveredAfter} ms after the walk`,
      );

      expect(summary(findings(scripts, walked, slack.threads, stored))).toEqual([]);
      // The walk really crossed replicas: every request of a conversation went to the other replica
      // than its previous one while both were up, and the survivor carried on alone after the kill.
      const lastByThread = new Map<string, number>();
      let sameReplicaTwice = 0;
      for (const request of before) {
        if (request.key === undefined || request.upstream < 0) continue;
        if (lastByThread.get(request.key) === request.upstream && request.up === 2) sameReplicaTwice++;
        lastByThread.set(request.key, request.upstream);
      }
      expect(sameReplicaTwice).toBe(0);
      for (const replica of [0, 1]) {
        const served = before.filter((r) => r.upstream === replica && r.status === 200).length;
        expect(served).toBeGreaterThan(before.length * 0.4);
      }
      const answered = after.filter((r) => r.status === 200);
      expect(answered.length).toBeGreaterThan(after.length * 0.5);
      expect(answered.every((r) => r.upstream === 0)).toBe(true);
      expect(proxy.up()).toEqual([0]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('one fixpath process on SQLite, killed halfway and started again on the same file', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it(
    'resumes every one of 500 conversations where it was and walks it to its scripted end',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fixpath-restart-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      const slack = await fakeSlack();
      cleanups.push(() => slack.stop());
      const database = join(dir, 'fixpath.db');
      const first = await slack.env();
      const processes: FixpathProcess[] = [
        await FixpathProcess.start({ ...first.env, FIXPATH_DATABASE: database }),
      ];
      cleanups.push(async () => {
        for (const server of processes) await server.kill();
      });
      const proxy = new RoundRobinProxy([processes[0]?.url ?? '']);
      const url = await proxy.start();
      cleanups.push(() => proxy.stop());

      const scripts = Array.from({ length: CONVERSATIONS }, (_, n) => scriptFor(n, 1_810_000_000));
      let down = 0;
      let held = -1;
      let killedAt = -1;
      const walked = await walkAll(scripts, {
        url: () => url,
        threads: slack.threads,
        atHalfway: async () => {
          held = proxy.log.length;
          const [victim] = processes as [FixpathProcess];
          await killMidTurn(victim, first.gate);
          killedAt = proxy.log.length;
          const started = Date.now();
          const next = await slack.env();
          const restarted = await FixpathProcess.start({ ...next.env, FIXPATH_DATABASE: database });
          processes.push(restarted);
          proxy.add(restarted.url);
          down = Date.now() - started;
        },
      });
      const deliveredAfter = await ticketsDelivered(scripts, slack.threads);

      const store = new SqliteConversationStore<ConversationRecord>({ path: database });
      cleanups.push(() => store.close());
      const stored = new Map<string, { version: number; record: ConversationRecord } | undefined>();
      for (const script of scripts) {
        const loaded = await store.load(conversationKey(script));
        stored.set(conversationKey(script), loaded && { version: loaded.version, record: loaded.value });
      }
      describeRun(
        'SQLite, one process',
        walked,
        proxy,
        `${proxy.log.slice(held, killedAt).filter((r) => r.status === 200).length} requests answered while its Slack calls were held; down for ${down} ms, then ${walked.turns - (walked.halfway?.done ?? 0)} turns on the restarted process; last ticket ${deliveredAfter} ms after the walk`,
      );

      expect(summary(findings(scripts, walked, slack.threads, stored))).toEqual([]);
      expect(processes).toHaveLength(2);
      // Both processes really served this walk, the second one from where the first left the file.
      expect(proxy.log.filter((r) => r.upstream === 0 && r.status === 200).length).toBeGreaterThan(
        CONVERSATIONS,
      );
      expect(proxy.log.filter((r) => r.upstream === 1 && r.status === 200).length).toBeGreaterThan(
        CONVERSATIONS,
      );
    },
    TEST_TIMEOUT_MS,
  );
});
