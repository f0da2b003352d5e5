import type { ReplayResult } from '../runtime/replay.ts';
import type { FlowTest } from './flow-test-file.ts';

/** Every way a replay differs from what the test expects, in words; empty when it passes. */
export function checkExpectations(result: ReplayResult, expect: FlowTest['expect']): string[] {
  const failures: string[] = [];
  if (result.status !== expect.status) failures.push(`status is ${result.status}, expected ${expect.status}`);
  if (result.node !== expect.node) failures.push(`ended on step ${result.node}, expected ${expect.node}`);
  const wanted = expect.ticket;
  if (!wanted) return failures;
  const ticket = result.ticket;
  if (!ticket) return [...failures, 'no ticket was filed'];
  if (wanted.title !== undefined && !ticket.title.includes(wanted.title)) {
    failures.push(`ticket title "${ticket.title}" does not contain "${wanted.title}"`);
  }
  for (const [id, value] of Object.entries(wanted.fields ?? {})) {
    if (!(id in ticket.fields)) failures.push(`ticket has no field ${id}`);
    else if (ticket.fields[id] !== value)
      failures.push(`ticket field ${id} is "${ticket.fields[id]}", expected "${value}"`);
  }
  if (wanted.stepsTried !== undefined) {
    const got = JSON.stringify(ticket.stepsTried);
    if (got !== JSON.stringify(wanted.stepsTried)) {
      failures.push(
        `steps tried are ${describeSteps(ticket.stepsTried)}, expected ${describeSteps(wanted.stepsTried)}`,
      );
    }
  }
  for (const text of wanted.contains ?? []) {
    if (!ticket.markdown.includes(text)) failures.push(`ticket does not contain "${text}"`);
  }
  for (const text of wanted.excludes ?? []) {
    if (ticket.markdown.includes(text) || ticket.title.includes(text))
      failures.push(`ticket contains "${text}"`);
  }
  return failures;
}

function describeSteps(steps: ReadonlyArray<{ step: string; outcome: string }>): string {
  return steps.length === 0 ? '(none)' : steps.map((s) => `${s.step}=${s.outcome}`).join(', ');
}
