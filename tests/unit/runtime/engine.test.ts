import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixpathError } from '../../../src/errors.ts';
import type { ConversationEvent } from '../../../src/runtime/conversation-event.ts';
import { ADA, checkedFlow, engineFor, FIXTURES, ROOT } from '../../helpers/guides.ts';

const diskFull = () => checkedFlow(join(FIXTURES, 'flows', 'valid.yaml'));
const key = 'slack:T1:C1:1700000000.000100';

async function started(options: { idleMs?: number } = {}) {
  const harness = engineFor([diskFull()], options);
  const first = await harness.engine.turn({ key, event: { type: 'start', flowId: 'disk-full' }, actor: ADA });
  const send = (event: ConversationEvent, revision?: number) =>
    harness.engine.turn({ key, event, actor: ADA, ...(revision === undefined ? {} : { revision }) });
  return { ...harness, first, send };
}

describe('the conversation engine', () => {
  it('starts a guide at its triage step and stores revision 1', async () => {
    const { first, store } = await started();
    expect(first.outcome).toBe('applied');
    expect(first.view.step.id).toBe('triage');
    expect(first.view.revision).toBe(1);
    expect(first.effects).toEqual([
      expect.objectContaining({ type: 'conversation_started', flowId: 'disk-full' }),
    ]);
    expect((await store.load(key))?.version).toBe(1);
  });

  it('moves to the chosen step and records the answer in the history', async () => {
    const { send } = await started();
    const result = await send({ type: 'choose', choice: 'logs' });
    expect(result.view.step.id).toBe('rotate-logs');
    expect(result.view.history).toEqual([
      expect.objectContaining({ step: 'triage', answer: 'Logs are huge' }),
    ]);
  });

  it('goes back to the previous question and forgets the answers given after it', async () => {
    const { send } = await started();
    await send({ type: 'choose', choice: 'unsure' });
    await send({ type: 'submit', values: { usage_percent: 97, volume_size: 'small' } });
    const back = await send({ type: 'back' });
    expect(back.view.step.id).toBe('measure');
    expect(back.view.history.map((h) => h.step)).toEqual(['triage']);
    const again = await send({ type: 'back' });
    expect(again.view.step.id).toBe('triage');
    expect(again.view.history).toEqual([]);
    const changed = await send({ type: 'choose', choice: 'logs' });
    expect(changed.view.step.id).toBe('rotate-logs');
  });

  it('routes a branch on the values captured, and again after a changed answer', async () => {
    const { send } = await started();
    await send({ type: 'choose', choice: 'unsure' });
    const high = await send({ type: 'submit', values: { usage_percent: '97', volume_size: 'small' } });
    expect(high.view.step.id).toBe('rotate-logs');
    await send({ type: 'back' });
    const low = await send({ type: 'submit', values: { usage_percent: '40', volume_size: 'small' } });
    expect(low.view.step.id).toBe('verify');
  });

  it('refuses to go back from the first step and changes nothing', async () => {
    const { send } = await started();
    const result = await send({ type: 'back' });
    expect(result.outcome).toBe('rejected');
    expect(result.reason).toMatch(/no earlier answer/);
    expect(result.view.revision).toBe(1);
  });

  it('starts over from any step, forgetting the whole path', async () => {
    const { send } = await started();
    await send({ type: 'choose', choice: 'logs' });
    await send({ type: 'choose', choice: 'bad' });
    const restarted = await send({ type: 'restart' });
    expect(restarted.view.step.id).toBe('triage');
    expect(restarted.view.history).toEqual([]);
  });

  it('escalates from the middle of a fix step, asking only for the missing ticket details, and marks the fix skipped', async () => {
    const { send } = await started();
    await send({ type: 'choose', choice: 'logs' });
    await send({ type: 'submit', values: { usage_percent: '99' } });
    const asked = await send({ type: 'escalate' });
    expect(asked.view.step).toEqual({ id: 'help', type: 'escalate', phase: 'collect' });
    expect(asked.view.form?.fields.map((f) => f.id)).toEqual(['volume_size']);
    expect(asked.view.status).toBe('active');
    const filed = await send({ type: 'submit', values: { volume_size: 'Under 20 GB' } });
    expect(filed.view.status).toBe('escalated');
    const escalated = filed.effects.filter((e) => e.type === 'escalated');
    expect(escalated).toHaveLength(1);
    const ticket = escalated[0]?.type === 'escalated' ? escalated[0].ticket : undefined;
    expect(ticket?.stepsTried).toEqual([
      expect.objectContaining({ step: 'rotate-logs', outcome: 'skipped' }),
    ]);
    expect(ticket?.reason).toBe('help_now');
    expect(ticket?.capture.map((c) => c.value)).toEqual(['99', 'Under 20 GB', '1 (listed below)']);
  });

  it('keeps a refused form on the same step with an error per field and what was typed', async () => {
    const { send } = await started();
    await send({ type: 'choose', choice: 'unsure' });
    const result = await send({ type: 'submit', values: { usage_percent: '140', volume_size: 'huge' } });
    expect(result.outcome).toBe('invalid');
    expect(result.view.step.id).toBe('measure');
    expect(result.view.form?.errors).toEqual({
      usage_percent: 'At most 100.',
      volume_size: expect.stringMatching(/^Pick one of/),
    });
    expect(result.view.form?.fields.find((f) => f.id === 'usage_percent')?.value).toBe('140');
    expect(result.view.revision).toBe(2);
  });

  it('rejects an event the step does not accept and lists what it does accept', async () => {
    const { send } = await started();
    const result = await send({ type: 'choose', choice: 'bad' });
    expect(result.outcome).toBe('rejected');
    expect(result.accepts).toEqual(
      expect.arrayContaining(['choose: logs ("Logs are huge")', 'escalate', 'faq: inodes']),
    );
  });

  it('shows an FAQ answer beside the current step without moving, and clears it on the next answer', async () => {
    const { send } = await started();
    const faq = await send({ type: 'faq', faq: 'inodes' });
    expect(faq.view.step.id).toBe('triage');
    expect(faq.view.faqAnswer?.answer).toMatch(/df -i/);
    const next = await send({ type: 'choose', choice: 'logs' });
    expect(next.view.faqAnswer).toBeNull();
  });

  it('ignores a click on an outdated card and shows the current step', async () => {
    const { send } = await started();
    await send({ type: 'choose', choice: 'logs' }, 1);
    const stale = await send({ type: 'choose', choice: 'unsure' }, 1);
    expect(stale.outcome).toBe('stale');
    expect(stale.view.step.id).toBe('rotate-logs');
    expect(stale.view.notice?.text).toMatch(/out of date/);
  });

  it('refuses a write based on an old version instead of overwriting it', async () => {
    const { store, first } = await started();
    const loaded = await store.load(key);
    if (!loaded) throw new Error('not stored');
    await store.save(key, loaded.value, { expectedVersion: first.view.revision, ttlMs: 1000 });
    const stale = store.save(key, loaded.value, { expectedVersion: first.view.revision, ttlMs: 1000 });
    await expect(stale).rejects.toBeInstanceOf(FixpathError);
    await expect(stale).rejects.toMatchObject({ code: 'store_conflict' });
  });

  it('applies exactly one of two concurrent clicks drawn for the same card', async () => {
    const { send } = await started();
    const results = await Promise.allSettled([
      send({ type: 'choose', choice: 'logs' }, 1),
      send({ type: 'choose', choice: 'unsure' }, 1),
    ]);
    const applied = results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'applied');
    expect(applied).toHaveLength(1);
    const others = results.filter((r) => !(r.status === 'fulfilled' && r.value.outcome === 'applied'));
    expect(others).toHaveLength(1);
    const other = others[0];
    if (other?.status === 'rejected') expect(other.reason).toMatchObject({ code: 'store_conflict' });
    else expect(other?.value.outcome).toBe('stale');
  });

  it('expires a conversation idle for longer than the idle time, with a way to start again', async () => {
    const { send, advance, store } = await started({ idleMs: 60_000 });
    advance(60_001);
    const result = await send({ type: 'choose', choice: 'logs' });
    expect(result.outcome).toBe('expired');
    expect(result.view.title).toBe('This conversation expired');
    expect(result.view.blocks[0]).toMatchObject({ text: expect.stringContaining('1m without an answer') });
    expect(result.view.choices[0]?.event).toEqual({ type: 'start', flowId: 'disk-full' });
    expect(await store.load(key)).toBeUndefined();
  });

  it('keeps a conversation alive while it is being answered within the idle time', async () => {
    const { send, advance } = await started({ idleMs: 60_000 });
    advance(50_000);
    await send({ type: 'choose', choice: 'logs' });
    advance(50_000);
    expect((await send({ type: 'show' })).outcome).toBe('unchanged');
  });

  it('answers an unknown conversation with the expired view, not an error', async () => {
    const { engine } = await started();
    const result = await engine.turn({
      key: 'nobody',
      event: { type: 'back' },
      actor: ADA,
      flowId: 'disk-full',
    });
    expect(result.outcome).toBe('expired');
    expect(result.view.choices[0]?.label).toBe('Start again: Free up a full disk');
  });

  it('resumes the same conversation when the guide is started again in the same place', async () => {
    const { engine, send } = await started();
    await send({ type: 'choose', choice: 'logs' });
    const again = await engine.turn({ key, event: { type: 'start', flowId: 'disk-full' }, actor: ADA });
    expect(again.outcome).toBe('unchanged');
    expect(again.view.step.id).toBe('rotate-logs');
  });

  it('asks "Was this helpful?" at resolution and reports the answer once', async () => {
    const { send } = await started();
    await send({ type: 'choose', choice: 'logs' });
    const good = await send({ type: 'choose', choice: 'good' });
    const resolved = await send({ type: 'choose', choice: 'good' });
    expect(good.view.step.id).toBe('verify');
    expect(resolved.view.status).toBe('resolved');
    expect(resolved.effects).toEqual([expect.objectContaining({ type: 'resolved' })]);
    expect(resolved.view.feedback).toEqual({
      question: 'Was this helpful?',
      given: null,
      thanks: 'Thanks for your feedback.',
    });
    const thanked = await send({ type: 'feedback', helpful: true });
    expect(thanked.view.feedback?.given).toBe(true);
    expect(thanked.view.choices).toEqual([]);
    expect(thanked.effects).toEqual([expect.objectContaining({ type: 'feedback_given', helpful: true })]);
  });

  it('files a second escalation with its own number after a restart', async () => {
    const { send } = await started();
    await send({ type: 'choose', choice: 'unsure' });
    await send({ type: 'submit', values: { usage_percent: '40', volume_size: 'large' } });
    const first = await send({ type: 'escalate' });
    expect(first.view.ticket?.escalationNumber).toBe(1);
    await send({ type: 'restart' });
    const second = await send({ type: 'escalate' });
    expect(second.view.step.phase).toBe('collect');
    const filed = await send({ type: 'submit', values: { usage_percent: '41', volume_size: 'large' } });
    expect(filed.view.ticket?.escalationNumber).toBe(2);
    expect(filed.view.ticket?.capture[0]?.value).toBe('41');
  });

  it('removes a secret pasted into a text field before storing it, and says so', async () => {
    const { engine, store } = engineFor([checkedFlow(join(ROOT, 'flows', 'session-expiry.yaml'))]);
    const token = ['xoxb', '2048', '1234567890', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
    await engine.turn({ key, event: { type: 'start', flowId: 'session-expiry' }, actor: ADA });
    await engine.turn({ key, event: { type: 'escalate' }, actor: ADA });
    const values = {
      session_timeout: '30m',
      store_type: 'redis',
      store_ttl: '1800',
      lb_type: 'none',
      sticky_sessions: 'no',
    };
    const result = await engine.turn({
      key,
      event: { type: 'submit', values: { ...values, cookie_max_age: `Session, token ${token}` } },
      actor: ADA,
    });
    expect(result.view.status).toBe('escalated');
    expect(result.view.notice?.text).toMatch(
      /looked like a secret was removed from: Cookie maxAge from DevTools/,
    );
    const stored = JSON.stringify(await store.load(key));
    expect(stored).not.toContain(token);
    expect(result.view.ticket?.markdown).not.toContain(token);
    expect(result.view.ticket?.markdown).toContain('Session, token');
  });
});
