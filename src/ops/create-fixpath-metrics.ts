import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { isFixpathError } from '../errors.ts';
import type { TurnObservation } from '../runtime/turn-observer.ts';

/** The surfaces a turn can come from; anything else is counted as `other`. */
export const PLATFORMS = ['slack', 'teams', 'web', 'cli'] as const;
const OUTCOMES = ['applied', 'unchanged', 'invalid', 'rejected', 'stale', 'expired', 'error'] as const;

export interface OutboxCounts {
  pending: number;
  deadLettered: number;
}

export interface FixpathMetricsOptions {
  /** Whether a guide id is one this process serves; others are labelled `other`, so typed ids cannot grow the series. */
  isKnownFlow?: (flowId: string) => boolean;
  /** Read at every scrape for the outbox gauges; without it both are 0. */
  outbox?: () => OutboxCounts | Promise<OutboxCounts>;
  /** Node's process and runtime metrics (`process_*`, `nodejs_*`); on by default. */
  defaultMetrics?: boolean;
}

/**
 * What fixpath reports to Prometheus. The adapters' turn runners call `observeTurn` after every turn
 * and `observeFailure` when one threw; scrapes read `render()`.
 */
export interface FixpathMetrics {
  observeTurn(turn: TurnObservation): void;
  /** A turn that threw: counted with outcome `error`, and as a store error when the store failed it. */
  observeFailure(turn: Omit<TurnObservation, 'outcome' | 'effects'> & { error: unknown }): void;
  /** A store operation failed outside a turn (a readiness probe, the outbox drainer…). */
  storeError(): void;
  /** Every metric in the Prometheus text format, and the content type to serve it with. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** Latency buckets for a turn: a memory store answers in microseconds, a remote Redis in milliseconds. */
const TURN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A registry of fixpath's own metrics (never the global one, so two instances do not collide). */
export function createFixpathMetrics(options: FixpathMetricsOptions = {}): FixpathMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const turns = new Counter({
    name: 'fixpath_turns_total',
    help: 'Turns applied to conversations, by platform, guide and outcome.',
    labelNames: ['platform', 'flow', 'outcome'] as const,
    registers,
  });
  const resolutions = new Counter({
    name: 'fixpath_resolutions_total',
    help: 'Conversations that reached a resolve step.',
    labelNames: ['platform', 'flow'] as const,
    registers,
  });
  const escalations = new Counter({
    name: 'fixpath_escalations_total',
    help: 'Escalation tickets filed, by how the conversation got there (guide or help_now).',
    labelNames: ['platform', 'flow', 'reason'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'fixpath_turn_duration_seconds',
    help: 'Time to run one turn, store round trips included.',
    labelNames: ['platform'] as const,
    buckets: TURN_BUCKETS,
    registers,
  });
  const storeErrors = new Counter({
    name: 'fixpath_store_errors_total',
    help: 'Store operations that failed (unreachable store, lost write races past the retries).',
    registers,
  });
  // Both gauges are fed by one read of the outbox per scrape; a failed read keeps the last values.
  let reading: Promise<OutboxCounts> | undefined;
  const readOutbox = async (): Promise<OutboxCounts | undefined> => {
    reading ??= Promise.resolve()
      .then(() => options.outbox?.() ?? { pending: 0, deadLettered: 0 })
      .finally(() => setImmediate(() => (reading = undefined)));
    return reading.catch(() => undefined);
  };
  new Gauge({
    name: 'fixpath_outbox_pending',
    help: 'Tickets waiting in the outbox to be delivered.',
    registers,
    async collect() {
      const counts = await readOutbox();
      if (counts) this.set(counts.pending);
    },
  });
  new Gauge({
    name: 'fixpath_outbox_dead_lettered',
    help: 'Tickets the outbox gave up delivering.',
    registers,
    async collect() {
      const counts = await readOutbox();
      if (counts) this.set(counts.deadLettered);
    },
  });

  const platformOf = (platform: string) =>
    (PLATFORMS as readonly string[]).includes(platform) ? platform : 'other';
  const flowOf = (flowId: string | undefined) =>
    flowId === undefined ? 'none' : (options.isKnownFlow?.(flowId) ?? true) ? flowId : 'other';

  const observeTurn = (turn: TurnObservation): void => {
    const labels = { platform: platformOf(turn.platform), flow: flowOf(turn.flowId) };
    const outcome = (OUTCOMES as readonly string[]).includes(turn.outcome) ? turn.outcome : 'error';
    turns.inc({ ...labels, outcome });
    latency.observe({ platform: labels.platform }, Math.max(0, turn.seconds));
    for (const effect of turn.effects ?? []) {
      if (effect.type === 'resolved') resolutions.inc(labels);
      if (effect.type === 'escalated') escalations.inc({ ...labels, reason: effect.ticket.reason });
    }
  };

  return {
    observeTurn,
    observeFailure({ error, ...turn }) {
      observeTurn({ ...turn, outcome: 'error' });
      if (isFixpathError(error, 'store_unavailable') || isFixpathError(error, 'store_conflict'))
        storeErrors.inc();
    },
    storeError() {
      storeErrors.inc();
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
