import { randomUUID } from 'node:crypto';
import { initialTransition, transition } from 'xstate';
import { isFixpathError } from '../errors.ts';
import type { NewTicketOutboxEntry } from '../escalation/outbox.ts';
import type { Ticket } from '../escalation/ticket.ts';
import type { CompiledFlow } from '../machine/compile-flow.ts';
import type { ConversationStore, Versioned } from '../stores/conversation-store.ts';
import type { OutboxStore } from '../stores/outbox-store.ts';
import { accepted, rejectionReason } from './accepted-events.ts';
import { advanceRecord } from './advance-record.ts';
import { buildView, type ViewExtras } from './build-view.ts';
import type { TurnInput } from './conversation-event.ts';
import type { ConversationRecord } from './conversation-record.ts';
import type { Effect } from './effect.ts';
import { expiredView } from './expired-view.ts';
import type { FlowRegistry } from './flow-registry.ts';
import { guardStore } from './guard-store.ts';
import { planFiling } from './plan-filing.ts';
import type { StepView } from './step-view.ts';
import { toMachineEvent } from './to-machine-event.ts';
import { turnEffects } from './turn-effects.ts';
import { redactionNotice, withFilingNotice } from './turn-notices.ts';

export const DEFAULT_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * Stores keep a conversation this long past its idle expiry, so a late click is answered with
 * "this conversation expired, start again" for the right guide instead of "unknown conversation".
 */
const EXPIRED_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

export interface EngineOptions {
  flows: FlowRegistry;
  store: ConversationStore<ConversationRecord>;
  /** Idle time after which a conversation expires (default 7 days). */
  idleMs?: number;
  now?: () => Date;
  newId?: () => string;
  /**
   * The sinks a guide's escalations go to. When given, the turn that files an escalation adds one
   * outbox entry per sink in the same save as the transition (the store needs an outbox then).
   */
  sinksFor?: (flowId: string) => readonly string[];
  /**
   * Whether a conversation (by key) is told where its ticket went, through an outbox notice entry
   * written with the tickets (Slack and Teams conversations; the playground shows the ticket itself).
   */
  notifies?: (conversationKey: string) => boolean;
  /** Before filing, look for an open escalation this one repeats and add to its ticket instead. */
  duplicates?: {
    outbox: Pick<OutboxStore<Ticket>, 'recent'>;
    /** How far back to look (default 24 h). */
    windowMs?: number;
    /** A guide's key capture fields: the same values in all of them make the same problem (default none). */
    keyFieldsFor?: (flowId: string) => readonly string[];
  };
}

export interface TurnResult {
  /**
   * `applied`: the event moved the conversation and was saved. `unchanged`: nothing to save (show).
   * `invalid`: a form came back with field errors. `rejected`: the event does not fit this step.
   * `stale`: the card clicked was drawn for an older revision. `expired`: no live conversation.
   */
  outcome: 'applied' | 'unchanged' | 'invalid' | 'rejected' | 'stale' | 'expired';
  view: StepView;
  effects: Effect[];
  /** For `rejected`: why, and what the current step accepts. */
  reason?: string;
  accepts?: string[];
}

/** One line per conversation for "your open conversations" lists. */
export interface ConversationSummary {
  key: string;
  conversationId: string;
  flowId: string;
  title: string;
  status: ConversationRecord['status'];
  updatedAt: string;
}

export interface Engine {
  /**
   * Applies one event to one conversation: load with version, compute the transition, save with the
   * expected version. A concurrent write makes it throw `store_conflict`, which the caller may retry.
   */
  turn(input: TurnInput): Promise<TurnResult>;
  /** The conversations a user started that have not expired, most recent first. */
  listConversations(userId: string): Promise<ConversationSummary[]>;
  flows: FlowRegistry;
}

export function createEngine(options: EngineOptions): Engine {
  const { flows, store } = options;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomUUID;

  const save = async (
    record: ConversationRecord,
    expectedVersion: number | null,
    outbox: readonly NewTicketOutboxEntry[] = [],
  ) =>
    guardStore(() =>
      store.save(record.key, record, {
        expectedVersion,
        ttlMs: idleMs + EXPIRED_GRACE_MS,
        ...(outbox.length > 0 ? { outbox } : {}),
      }),
    );

  async function start(input: TurnInput, flowId: string, loaded: Versioned<ConversationRecord> | undefined) {
    const live = loaded && !isExpired(loaded.value) ? loaded : undefined;
    const resumable = live?.value.status === 'active' && live.value.flowId === flowId ? live : undefined;
    const resumed = resumable && (await flowOf(resumable.value));
    if (resumable && resumed)
      return result('unchanged', buildView(resumed, resumable.value, resumable.version));
    const flow = flows.current(flowId);
    const [snapshot] = initialTransition(flow.machine);
    const at = now().toISOString();
    const record: ConversationRecord = {
      id: newId(),
      key: input.key,
      flowId,
      flowHash: flow.hash,
      snapshot: { value: snapshot.value, context: snapshot.context },
      status: 'active',
      startedBy: input.actor,
      startedAt: at,
      updatedAt: at,
      escalations: [],
    };
    const version = await save(record, loaded?.version ?? null);
    return result('applied', buildView(flow, record, version), [
      { type: 'conversation_started', conversationId: record.id, flowId },
    ]);
  }

  /** The guide version a conversation runs on, or undefined when this deployment no longer has it. */
  async function flowOf(record: ConversationRecord): Promise<CompiledFlow | undefined> {
    try {
      return await flows.byHash(record.flowHash);
    } catch (err) {
      if (isFixpathError(err, 'flow_version_missing')) return undefined;
      throw err;
    }
  }

  function isExpired(record: ConversationRecord): boolean {
    return Date.parse(record.updatedAt) + idleMs <= now().getTime();
  }

  async function turn(input: TurnInput): Promise<TurnResult> {
    const loaded = await guardStore(() => store.load(input.key));
    if (input.event.type === 'start') return start(input, input.event.flowId, loaded);

    if (!loaded || isExpired(loaded.value)) {
      const flowId = loaded?.value.flowId ?? input.flowId;
      const flow = flowId === undefined ? undefined : flows.find(flowId)?.definition;
      const view = expiredView({ idleMs, flow, conversationId: loaded?.value.id ?? null });
      if (!loaded) return result('expired', view);
      await guardStore(() => store.delete(input.key, loaded.version));
      return result('expired', view, [{ type: 'conversation_expired', conversationId: loaded.value.id }]);
    }

    const { value: record, version } = loaded;
    const flow = await flowOf(record);
    if (!flow) {
      const view = expiredView({
        idleMs,
        flow: flows.find(record.flowId)?.definition,
        conversationId: record.id,
        reason: 'guide_changed',
      });
      return result('expired', view);
    }
    const foreign = input.conversationId !== undefined && input.conversationId !== record.id;
    if (foreign || (input.revision !== undefined && input.revision !== version)) {
      const notice = {
        kind: 'warning' as const,
        text: 'That card is out of date, so nothing changed. This is where the conversation is now.',
      };
      return result('stale', buildView(flow, record, version, { notice }));
    }
    if (input.event.type === 'show') return result('unchanged', buildView(flow, record, version));

    const stamp = { at: now().toISOString(), by: input.actor };
    const translated = toMachineEvent(flow, record, input.event, stamp);
    if (translated.kind === 'invalid') {
      const extras: ViewExtras = { errors: translated.errors, typed: translated.typed };
      return result('invalid', buildView(flow, record, version, extras));
    }
    const snapshot = flow.machine.resolveState(record.snapshot);
    if (translated.kind === 'rejected' || !snapshot.can(translated.event)) {
      const view = buildView(flow, record, version);
      const reason =
        translated.kind === 'rejected' ? translated.reason : rejectionReason(input.event.type, view);
      return { outcome: 'rejected', view, effects: [], reason, accepts: accepted(view) };
    }
    const [next] = transition(flow.machine, snapshot, translated.event);
    const updated = advanceRecord(flow, record, next.value, next.context, stamp.at, input);
    const filing = await planFiling(record, updated, { ...options, at: now().getTime() });
    const newVersion = await save(updated, version, filing?.entries);
    const redaction = translated.redacted.length > 0 ? redactionNotice(flow, translated.redacted) : undefined;
    const notice = withFilingNotice(redaction, filing?.notice);
    return result(
      'applied',
      buildView(flow, updated, newVersion, notice ? { notice } : {}),
      turnEffects(record, updated),
    );
  }

  async function listConversations(userId: string): Promise<ConversationSummary[]> {
    const keys = await guardStore(() => store.listByUser(userId));
    const loaded = await Promise.all(keys.map((key) => guardStore(() => store.load(key))));
    return loaded
      .flatMap((entry) => (entry && !isExpired(entry.value) ? [entry.value] : []))
      .map((record) => ({
        key: record.key,
        conversationId: record.id,
        flowId: record.flowId,
        title: flows.find(record.flowId)?.definition.title ?? record.flowId,
        status: record.status,
        updatedAt: record.updatedAt,
      }))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  return { turn, listConversations, flows };
}

function result(outcome: TurnResult['outcome'], view: StepView, effects: Effect[] = []): TurnResult {
  return { outcome, view, effects };
}
