import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/escalation/ticket.ts';
import type { Actor } from '../../../src/machine/flow-context.ts';
import type { ConversationRecord } from '../../../src/runtime/conversation-record.ts';
import { createEngine, type EngineOptions } from '../../../src/runtime/create-engine.ts';
import { FlowRegistry } from '../../../src/runtime/flow-registry.ts';
import type { ConversationStore, SaveOptions } from '../../../src/stores/conversation-store.ts';
import { MemoryConversationStore } from '../../../src/stores/memory/memory-conversation-store.ts';
import { MemoryOutboxStore } from '../../../src/stores/memory/memory-outbox-store.ts';
import { SqliteConversationStore } from '../../../src/stores/sqlite/sqlite-conversation-store.ts';
import { escalate, otherProblem } from '../../helpers/escalate.ts';
import { ADA } from '../../helpers/guides.ts';

const GRACE: Actor = { id: 'U0GRACE01', name: 'Grace Hopper' };
const LINUS: Actor = { id: 'U0LINUS01', name: 'Linus' };
const HOUR = 60 * 60 * 1000;

function harness(options: Partial<EngineOptions> = {}) {
  let now = Date.parse('2026-03-02T09:00:00Z');
  const outbox = new MemoryOutboxStore<Ticket>();
  const store = new MemoryConversationStore<ConversationRecord>({ now: () => now, outbox });
  const engine = createEngine({
    flows: new FlowRegistry([otherProblem()], store),
    store,
    now: () => new Date(now),
    sinksFor: () => ['github', 'file'],
    duplicates: { outbox },
    ...options,
  });
  return {
    engine,
    store,
    outbox,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('an escalation entering the outbox', () => {
  it('adds one entry per configured sink in the very save that files the ticket', async () => {
    const { engine, store, outbox } = harness();
    await engine.turn({ key: 'k1', actor: ADA, event: { type: 'start', flowId: 'other-problem' } });
    await engine.turn({ key: 'k1', actor: ADA, event: { type: 'choose', choice: 'file' } });
    expect(await outbox.list()).toEqual([]);

    const filed = await escalate(engine, 'k2', ADA);
    const record = (await store.load('k2'))?.value;
    const ticket = record?.escalations[0]?.ticket;
    expect(ticket).toBeDefined();
    expect(filed.effects).toContainEqual(expect.objectContaining({ type: 'escalated', ticket }));
    expect(await outbox.list()).toEqual([
      expect.objectContaining({ id: `${record?.id}:1:file`, sink: 'file', ticket }),
      expect.objectContaining({
        id: `${record?.id}:1:github`,
        conversationKey: 'k2',
        conversationId: record?.id,
        escalationNumber: 1,
        sink: 'github',
        guideId: 'other-problem',
        reporterId: ADA.id,
        ticket,
        status: 'pending',
        attempts: 0,
      }),
    ]);
    expect(filed.view.notice).toBeNull();
  });

  it('adds nothing for a guide with no sinks, and nothing without the option', async () => {
    const none = harness({ sinksFor: () => [] });
    await escalate(none.engine, 'k', ADA);
    expect(await none.outbox.list()).toEqual([]);
    const unset = harness({ sinksFor: undefined });
    await escalate(unset.engine, 'k', ADA);
    expect(await unset.outbox.list()).toEqual([]);
  });

  it('adds nothing when the save that would file the ticket loses a race to another write', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'fixpath-engine-outbox-'));
    try {
      const sqlite = new SqliteConversationStore<ConversationRecord>({ path: join(temp, 'fixpath.db') });
      const outbox = sqlite.outbox<Ticket>();
      let race = false;
      /** The real store, with another replica's write landing between the turn's load and its save. */
      const racing: ConversationStore<ConversationRecord> = {
        load: (key) => sqlite.load(key),
        delete: (key, version) => sqlite.delete(key, version),
        listByUser: (user) => sqlite.listByUser(user),
        async save(key, value, options: SaveOptions) {
          if (race && options.outbox) {
            const current = await sqlite.load(key);
            if (current)
              await sqlite.save(key, current.value, { expectedVersion: current.version, ttlMs: HOUR });
          }
          return sqlite.save(key, value, options);
        },
      };
      const engine = createEngine({
        flows: new FlowRegistry([otherProblem()], sqlite),
        store: racing,
        sinksFor: () => ['github'],
      });
      await engine.turn({ key: 'k', actor: ADA, event: { type: 'start', flowId: 'other-problem' } });
      await engine.turn({ key: 'k', actor: ADA, event: { type: 'choose', choice: 'file' } });
      race = true;
      await expect(
        engine.turn({
          key: 'k',
          actor: ADA,
          event: { type: 'submit', values: { problem: 'Nothing loads at all today.', impact: 'me' } },
        }),
      ).rejects.toMatchObject({ code: 'store_conflict' });
      expect(await outbox.list()).toEqual([]);
      expect((await sqlite.load('k'))?.value.status).toBe('active');

      race = false; // the caller retries the turn: now the ticket and its entry land together
      await engine.turn({
        key: 'k',
        actor: ADA,
        event: { type: 'submit', values: { problem: 'Nothing loads at all today.', impact: 'me' } },
      });
      expect((await sqlite.load('k'))?.value.status).toBe('escalated');
      expect(await outbox.list()).toHaveLength(1);
      await sqlite.close();
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});

describe('duplicate detection before filing', () => {
  it('adds a second escalation by the same reporter to the open ticket, and says so', async () => {
    const { engine, outbox, advance } = harness();
    await escalate(engine, 'first', ADA);
    const [file, github] = await outbox.list();
    advance(3 * HOUR);
    const second = await escalate(engine, 'second', ADA, {
      problem: 'Still a blank page on the deploy dashboard.',
    });
    const added = (await outbox.list()).filter((e) => e.conversationKey === 'second');
    expect(added.map((e) => [e.sink, e.linkTo])).toEqual([
      ['file', file?.id],
      ['github', github?.id],
    ]);
    expect([file?.sink, github?.sink]).toEqual(['file', 'github']);
    expect(second.view.notice).toEqual({
      kind: 'info',
      text: expect.stringMatching(
        /escalated this guide 3 hours ago.*added to it instead of filing a second ticket/,
      ),
    });
  });

  it('files a new ticket once the window has passed, or for someone else with different details', async () => {
    const { engine, outbox, advance } = harness();
    await escalate(engine, 'first', ADA);
    const other = await escalate(engine, 'other', GRACE, { problem: 'The wiki search returns nothing.' });
    expect(other.view.notice).toBeNull();
    advance(24 * HOUR + 1);
    const late = await escalate(engine, 'late', ADA);
    expect(late.view.notice).toBeNull();
    expect((await outbox.list()).filter((e) => e.linkTo !== undefined)).toEqual([]);
  });

  it('links someone else’s escalation with the same key capture values, naming only those values', async () => {
    const { engine, outbox } = harness({ sinksFor: () => ['github'] });
    const rules = {
      outbox,
      keyFieldsFor: (flowId: string) => (flowId === 'other-problem' ? ['problem'] : []),
    };
    const keyed = createEngine({
      flows: new FlowRegistry([otherProblem()]),
      store: new MemoryConversationStore<ConversationRecord>({ outbox }),
      sinksFor: () => ['github'],
      duplicates: rules,
      now: () => new Date('2026-03-02T10:00:00Z'),
    });
    await escalate(engine, 'first', ADA, { problem: 'VPN drops every 5 minutes' });
    const same = await escalate(keyed, 'same', GRACE, { problem: '  vpn drops every 5 minutes ' });
    const different = await escalate(keyed, 'different', LINUS, { problem: 'VPN drops every hour' });
    const [original] = await outbox.list();
    const byKey = new Map((await outbox.list()).map((e) => [e.conversationKey, e]));
    expect(byKey.get('same')?.linkTo).toBe(original?.id);
    expect(byKey.get('different')?.linkTo).toBeUndefined();
    expect(same.view.notice?.text).toMatch(/The same problem \(What is wrong\?: vpn drops every 5 minutes\)/);
    expect(same.view.notice?.text).not.toMatch(/Ada|Lovelace/);
    expect(different.view.notice).toBeNull();
  });

  it('files a new ticket when the earlier one was dead-lettered', async () => {
    const { engine, outbox } = harness({ sinksFor: () => ['github'] });
    await escalate(engine, 'first', ADA);
    const [first] = await outbox.claimDue('d', Date.parse('2026-03-02T10:00:00Z'), 60_000, 1);
    await outbox.markFailed(first?.id ?? '', 'd', { error: 'HTTP 401', dead: true });
    const second = await escalate(engine, 'second', ADA);
    expect(second.view.notice).toBeNull();
    expect((await outbox.list()).find((e) => e.conversationKey === 'second')?.linkTo).toBeUndefined();
  });
});
