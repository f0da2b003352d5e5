import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { DeliveryResult, OutboxStore } from '../stores/outbox-store.ts';
import { type BackoffOptions, backoffDelay } from './backoff-delay.ts';
import { asDeliveryError, DeliveryError } from './delivery-error.ts';
import { NOTICE_SINK, type TicketOutboxEntry } from './outbox.ts';
import type { EscalationSink, WriteLimits } from './sink.ts';
import type { Ticket } from './ticket.ts';
import { WriteLimiter } from './write-limiter.ts';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface OutboxDelivererOptions {
  store: OutboxStore<Ticket>;
  sinks: readonly EscalationSink[];
  logger: Logger;
  /** Names this deliverer's leases; unique per process (default: a random UUID). */
  owner?: string;
  now?: () => number;
  timers?: Timers;
  /** For the backoff's jitter. */
  random?: () => number;
  /** How often to look for due entries when idle (default 2 s); `wake()` looks at once. */
  pollMs?: number;
  /** How long a claimed entry stays ours (default 2 min): longer than a sink takes to answer. */
  leaseMs?: number;
  /** Entries claimed per round (default 10). */
  batchSize?: number;
  /**
   * Failed attempts before an entry is dead-lettered (default 14: with the default backoff, the
   * waits between them add up to 1.6 to 3.1 hours, enough to ride out most outages).
   */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Write limits by sink name, instead of the sink's own. */
  writeLimits?: Readonly<Record<string, WriteLimits>>;
  /** How long an entry that links to a ticket not filed yet waits before looking again (default 30 s). */
  linkWaitMs?: number;
}

/** What one round did, by how each claimed entry ended. */
export interface RoundSummary {
  claimed: number;
  delivered: number;
  linked: number;
  retried: number;
  deadLettered: number;
  /** Given back untried: a write limit, a linked ticket not filed yet, too little lease left. */
  released: number;
}

export type DeliveryCounts = Omit<RoundSummary, 'claimed' | 'released'>;

export interface OutboxDeliverer {
  /** Starts polling; pending entries left by an earlier run (a restart) are picked up on the first round. */
  start(): void;
  /** Stops polling and waits for the round in progress to finish. */
  stop(): Promise<void>;
  /** Looks for due entries now, e.g. right after a turn filed an escalation. */
  wake(): void;
  /** Runs one round: claim what is due, deliver it, record the outcome. */
  runOnce(): Promise<RoundSummary>;
  /** Totals since this deliverer was made, by sink: for metrics. */
  counts(): Record<string, DeliveryCounts>;
}

type Attempt = { kind: 'done'; result: DeliveryResult; linked: boolean } | { kind: 'wait'; until: number };
type Outcome = 'delivered' | 'linked' | 'retried' | 'deadLettered' | 'released';

const DEFAULT_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The drainer of the escalation outbox. Each round it leases due entries from the store (so replicas
 * sharing a store never send one entry at once), sends each through its sink, and records the result.
 * Writes to one sink go one at a time within its write limits; a failure that may pass is retried
 * with exponential backoff and jitter, never sooner than the sink's `Retry-After`; a refusal, or the
 * `maxAttempts`th failure, dead-letters the entry (logged as an error, counted) until `outbox retry`.
 * Before any attempt after the first it asks the sink for what an interrupted attempt may have
 * filed, so a crash between "sent" and "recorded" does not file twice.
 */
export function createOutboxDeliverer(options: OutboxDelivererOptions): OutboxDeliverer {
  const { store, logger } = options;
  const owner = options.owner ?? randomUUID();
  const now = options.now ?? Date.now;
  const timers = options.timers ?? DEFAULT_TIMERS;
  const random = options.random ?? Math.random;
  const pollMs = options.pollMs ?? 2_000;
  const leaseMs = options.leaseMs ?? 120_000;
  const batchSize = options.batchSize ?? 10;
  const maxAttempts = options.maxAttempts ?? 14;
  const linkWaitMs = options.linkWaitMs ?? 30_000;
  /** An entry whose lease has less left than this is given back rather than started. */
  const minLeaseLeftMs = leaseMs / 4;
  const sinks = new Map(options.sinks.map((sink) => [sink.name, sink]));
  const limiter = new WriteLimiter(
    new Map(
      options.sinks.map((sink) => [sink.name, options.writeLimits?.[sink.name] ?? sink.writeLimits ?? {}]),
    ),
  );
  const totals = new Map<string, DeliveryCounts>();
  const log = logger.child({ component: 'outbox', owner });

  let running = false;
  let timer: unknown;
  let current: Promise<RoundSummary> | undefined;
  let wakeRequested = false;

  async function runOnce(): Promise<RoundSummary> {
    while (current) await current.catch(() => {});
    current = round();
    try {
      return await current;
    } finally {
      current = undefined;
    }
  }

  async function round(): Promise<RoundSummary> {
    const claimed = await store.claimDue(owner, now(), leaseMs, batchSize);
    const summary: RoundSummary = {
      claimed: claimed.length,
      delivered: 0,
      linked: 0,
      retried: 0,
      deadLettered: 0,
      released: 0,
    };
    const bySink = new Map<string, TicketOutboxEntry[]>();
    const notices: TicketOutboxEntry[] = [];
    for (const entry of claimed) {
      if (entry.sink === NOTICE_SINK) notices.push(entry);
      else bySink.set(entry.sink, [...(bySink.get(entry.sink) ?? []), entry]);
    }
    await Promise.all(
      [...bySink.values()].map(async (entries) => {
        for (const entry of entries) summary[await handle(entry)] += 1;
      }),
    );
    // Notices last, so one whose tickets were sent in this round goes out in this round too.
    for (const entry of notices) summary[await handle(entry)] += 1;
    return summary;
  }

  async function handle(entry: TicketOutboxEntry): Promise<Outcome> {
    const entryLog = log.child({
      outboxId: entry.id,
      sink: entry.sink,
      conversationId: entry.conversationId,
      attempt: entry.attempts,
    });
    if ((entry.leaseUntil ?? 0) - now() < minLeaseLeftMs) return release(entry, now());
    const sink = sinks.get(entry.sink);
    try {
      if (!sink) throw new DeliveryError('sink_unavailable', `no sink named "${entry.sink}" is configured`);
      const attempt = await deliver(sink, entry);
      if (attempt.kind === 'wait') return release(entry, attempt.until);
      const recorded = await store.markDelivered(entry.id, owner, attempt.result);
      if (!recorded) {
        entryLog.warn('the entry was no longer pending when its delivery was recorded');
        return attempt.linked ? 'linked' : 'delivered';
      }
      count(entry.sink, attempt.linked ? 'linked' : 'delivered');
      if (entry.sink === NOTICE_SINK) entryLog.info('the conversation was told where its ticket went');
      else {
        entryLog.info(
          { ticket: attempt.result.label ?? attempt.result.externalId, linked: attempt.linked },
          attempt.linked ? 'escalation added to the open ticket' : 'escalation ticket filed',
        );
      }
      return attempt.linked ? 'linked' : 'delivered';
    } catch (err) {
      return fail(entry, asDeliveryError(err, entry.sink), entryLog);
    }
  }

  async function deliver(sink: EscalationSink, entry: TicketOutboxEntry): Promise<Attempt> {
    const readyAt = await sink.readyAt?.(entry);
    if (readyAt !== undefined && readyAt > now()) return { kind: 'wait', until: readyAt };
    let target: DeliveryResult | undefined;
    if (entry.linkTo) {
      const original = await store.get(entry.linkTo);
      if (original?.status === 'pending') return { kind: 'wait', until: now() + linkWaitMs };
      // A delivered original is the ticket to add to; a dead or missing one means filing our own.
      if (original?.status === 'delivered' && original.result) target = original.result;
    }
    if (target && !sink.comment) return { kind: 'done', result: linkedResult(target, target), linked: true };
    if (entry.attempts > 1 && sink.findExisting) {
      const existing = await sink.findExisting(entry, target);
      if (existing) {
        return {
          kind: 'done',
          result: target ? linkedResult(existing, target) : existing,
          linked: target !== undefined,
        };
      }
    }
    const writeAt = limiter.nextWriteAt(sink.name, now());
    if (writeAt > now()) return { kind: 'wait', until: writeAt };
    limiter.record(sink.name, now());
    if (target && sink.comment) {
      return { kind: 'done', result: linkedResult(await sink.comment(target, entry), target), linked: true };
    }
    return { kind: 'done', result: await sink.deliver(entry), linked: false };
  }

  async function fail(entry: TicketOutboxEntry, error: DeliveryError, entryLog: Logger): Promise<Outcome> {
    const at = now();
    if (error.retryAfterMs !== undefined) limiter.pause(entry.sink, at + error.retryAfterMs);
    if (error.code === 'sink_refused' || entry.attempts >= maxAttempts) {
      const recorded = await store.markFailed(entry.id, owner, { error: error.message, dead: true });
      if (!recorded) return 'released';
      count(entry.sink, 'deadLettered');
      entryLog.error(
        { err: error, attempts: entry.attempts, refused: error.code === 'sink_refused' },
        entry.sink === NOTICE_SINK
          ? 'the notice telling the conversation where its ticket went was dead-lettered'
          : 'escalation ticket dead-lettered: fix the cause, then run `fixpath outbox retry`',
      );
      return 'deadLettered';
    }
    const waitMs = Math.max(error.retryAfterMs ?? 0, backoffDelay(entry.attempts, options.backoff, random));
    const recorded = await store.markFailed(entry.id, owner, { error: error.message, retryAt: at + waitMs });
    if (!recorded) return 'released';
    count(entry.sink, 'retried');
    entryLog.warn(
      { err: error, attempts: entry.attempts, retryInMs: waitMs },
      'escalation delivery failed; will retry',
    );
    return 'retried';
  }

  async function release(entry: TicketOutboxEntry, until: number): Promise<Outcome> {
    await store.release(entry.id, owner, until);
    return 'released';
  }

  function count(sink: string, outcome: keyof DeliveryCounts): void {
    const counts = totals.get(sink) ?? { delivered: 0, linked: 0, retried: 0, deadLettered: 0 };
    counts[outcome] += 1;
    totals.set(sink, counts);
  }

  function schedule(ms: number): void {
    if (!running) return;
    timers.clearTimeout(timer);
    timer = timers.setTimeout(tick, ms);
  }

  function tick(): void {
    timer = undefined;
    if (!running) return;
    wakeRequested = false;
    let full = false;
    runOnce()
      .then((summary) => {
        // A full batch means more may be due: drain a backlog (after a restart, say) without pausing.
        full = summary.claimed >= batchSize;
      })
      .catch((err: unknown) => log.error({ err }, 'the outbox round failed; trying again shortly'))
      .finally(() => schedule(wakeRequested || full ? 0 : pollMs));
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      timers.clearTimeout(timer);
      timer = undefined;
      while (current) await current.catch(() => {});
    },
    wake() {
      if (!running) return;
      if (current) wakeRequested = true;
      else schedule(0);
    },
    runOnce,
    counts: () => Object.fromEntries([...totals].map(([sink, counts]) => [sink, { ...counts }])),
  };
}

/** A comment's result, or the original's, remembering the ticket it was added to. */
function linkedResult(result: DeliveryResult, target: DeliveryResult): DeliveryResult {
  const { externalId, url, label } = target;
  return {
    ...result,
    linkedTo: {
      ...(externalId === undefined ? {} : { externalId }),
      ...(url === undefined ? {} : { url }),
      ...(label === undefined ? {} : { label }),
    },
  };
}
