import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFlowFiles } from '../../src/flow/load-flow-files.ts';
import { type CheckedFlow, readFlow } from '../../src/flow/read-flow.ts';
import type { Actor } from '../../src/machine/flow-context.ts';
import type { ConversationRecord } from '../../src/runtime/conversation-record.ts';
import { createEngine } from '../../src/runtime/create-engine.ts';
import { FlowRegistry } from '../../src/runtime/flow-registry.ts';
import { MemoryConversationStore } from '../../src/stores/memory/memory-conversation-store.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FLOWS_DIR = join(ROOT, 'flows');
export const FIXTURES = join(ROOT, 'tests', 'fixtures');

export const ADA: Actor = { id: 'U024BE7LH', name: 'Ada Lovelace' };

/** A guide file read and checked, failing the test with its issues when it is not valid. */
export function checkedFlow(path: string): CheckedFlow {
  const result = readFlow(readFileSync(path, 'utf8'), path);
  if (!result.ok)
    throw new Error(result.issues.map((i) => `${i.line}:${i.column} ${i.path} ${i.message}`).join('\n'));
  return result.flow;
}

export async function allGuides(): Promise<CheckedFlow[]> {
  const { flows, issues } = await loadFlowFiles([FLOWS_DIR]);
  if (issues.length > 0) throw new Error(`flows/ has issues: ${JSON.stringify(issues, null, 2)}`);
  return flows;
}

/** An engine on a real memory store with a clock the test moves. */
export function engineFor(flows: CheckedFlow[], options: { idleMs?: number } = {}) {
  let now = Date.parse('2026-03-02T09:00:00Z');
  const store = new MemoryConversationStore<ConversationRecord>({
    now: () => now,
    userOf: (r) => r.startedBy.id,
  });
  const registry = new FlowRegistry(flows, store);
  const engine = createEngine({ flows: registry, store, now: () => new Date(now), ...options });
  return {
    engine,
    store,
    registry,
    advance(ms: number) {
      now += ms;
    },
  };
}
