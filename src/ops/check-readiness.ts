import { isFixpathError } from '../errors.ts';
import type { FlowRegistry } from '../runtime/flow-registry.ts';
import type { ConversationStore } from '../stores/conversation-store.ts';

export interface ReadinessDeps {
  /** Any conversation store: readiness loads one key that never exists, a real round trip. */
  store: Pick<ConversationStore<unknown>, 'load'>;
  /** The guides this process serves (the engine's flow registry). */
  flows: Pick<FlowRegistry, 'list' | 'find'>;
  /** How long the store may take to answer (default 2 s): a hung connection is not ready either. */
  timeoutMs?: number;
}

export type Readiness =
  | { ready: true; guides: number }
  | {
      ready: false;
      /** Why, in words an operator reads in a probe's log. */
      reason: string;
      checks: { store: 'ok' | 'failing'; guides: 'ok' | 'failing' };
      /** The failure behind a failing store check: its error code, never its message (it may hold a URL). */
      storeError?: string;
    };

const PROBE_KEY = 'fixpath:readiness-probe';
const DEFAULT_TIMEOUT_MS = 2_000;

/** Whether this process can serve turns: the store answers a read in time, and guides are loaded. */
export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const guides = deps.flows.list().length;
  const store = await probeStore(deps.store, deps.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (store.ok && guides > 0) return { ready: true, guides };
  const reasons = [
    ...(store.ok ? [] : [`the conversation store did not answer (${store.code})`]),
    ...(guides > 0 ? [] : ['no guides are loaded']),
  ];
  return {
    ready: false,
    reason: reasons.join('; '),
    checks: { store: store.ok ? 'ok' : 'failing', guides: guides > 0 ? 'ok' : 'failing' },
    ...(store.ok ? {} : { storeError: store.code }),
  };
}

async function probeStore(
  store: ReadinessDeps['store'],
  timeoutMs: number,
): Promise<{ ok: true } | { ok: false; code: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([store.load(PROBE_KEY).then(() => 'ok' as const), timeout]);
    return answer === 'ok' ? { ok: true } : { ok: false, code: 'timeout' };
  } catch (err) {
    return { ok: false, code: isFixpathError(err) ? err.code : 'error' };
  } finally {
    clearTimeout(timer);
  }
}
