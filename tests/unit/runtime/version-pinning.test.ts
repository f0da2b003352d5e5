import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CheckedFlow, readFlow } from '../../../src/flow/read-flow.ts';
import type { ConversationRecord } from '../../../src/runtime/conversation-record.ts';
import { createEngine } from '../../../src/runtime/create-engine.ts';
import { FlowRegistry } from '../../../src/runtime/flow-registry.ts';
import { MemoryConversationStore } from '../../../src/stores/memory/memory-conversation-store.ts';
import { ADA, FIXTURES } from '../../helpers/guides.ts';

const file = join(FIXTURES, 'flows', 'valid.yaml');
const original = readFileSync(file, 'utf8');

function guide(source: string): CheckedFlow {
  const result = readFlow(source, file);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.flow;
}

/** The same guide after an edit: the fix step is renamed and its failure leads straight to verification. */
const edited = guide(
  original
    .replace('title: Rotate the logs', 'title: Rotate and compress the logs')
    .replace('bad: { label: Still full, next: help }', 'bad: { label: Still full, next: verify }'),
);

/** A deployment: guides compiled at start-up over a store that outlives it. */
async function deploy(store: MemoryConversationStore<ConversationRecord>, flow: CheckedFlow) {
  const flows = new FlowRegistry([flow], store);
  await flows.remember();
  return createEngine({ flows, store });
}

describe('a conversation that began before its guide changed', () => {
  const key = 'teams:19:abc@thread.tacv2;messageid=1';

  it('finishes on the version it started with, while new conversations get the new one', async () => {
    const store = new MemoryConversationStore<ConversationRecord>();
    const before = guide(original);
    const first = await deploy(store, before);
    await first.turn({ key, event: { type: 'start', flowId: 'disk-full' }, actor: ADA });
    await first.turn({ key, event: { type: 'choose', choice: 'logs' }, actor: ADA });

    const second = await deploy(store, edited);
    expect(edited.hash).not.toBe(before.hash);
    const resumed = await second.turn({ key, event: { type: 'show' }, actor: ADA });
    expect(resumed.view.title).toBe('Rotate the logs');
    expect(resumed.view.flow?.hash).toBe(before.hash);
    const failed = await second.turn({ key, event: { type: 'choose', choice: 'bad' }, actor: ADA });
    expect(failed.view.step.id).toBe('help');

    const fresh = await second.turn({
      key: 'another-thread',
      event: { type: 'start', flowId: 'disk-full' },
      actor: ADA,
    });
    await second.turn({ key: 'another-thread', event: { type: 'choose', choice: 'logs' }, actor: ADA });
    const next = await second.turn({
      key: 'another-thread',
      event: { type: 'choose', choice: 'bad' },
      actor: ADA,
    });
    expect(fresh.view.flow?.hash).toBe(edited.hash);
    expect(next.view.step.id).toBe('verify');
  });

  it('is told politely to start again when its guide version was never stored', async () => {
    const store = new MemoryConversationStore<ConversationRecord>();
    const first = createEngine({ flows: new FlowRegistry([guide(original)]), store });
    await first.turn({ key, event: { type: 'start', flowId: 'disk-full' }, actor: ADA });
    const second = await deploy(store, edited);
    const result = await second.turn({ key, event: { type: 'choose', choice: 'logs' }, actor: ADA });
    expect(result.outcome).toBe('expired');
    expect(result.view.title).toBe('This conversation cannot continue');
    expect(result.view.choices[0]?.event).toEqual({ type: 'start', flowId: 'disk-full' });
  });

  it('keeps one content hash for a guide whose comments and layout changed but not its content', () => {
    const reformatted = guide(
      `# A new comment\n${original.replace('version: 1.0.0', 'version:   1.0.0  # same')}`,
    );
    expect(reformatted.hash).toBe(guide(original).hash);
  });
});
