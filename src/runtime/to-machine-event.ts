import { redactSecrets } from '../escalation/redact-secrets.ts';
import type { CompiledFlow } from '../machine/compile-flow.ts';
import { type Actor, capturedValues, type MachineEvent } from '../machine/flow-context.ts';
import { missingTicketFields } from '../machine/ticket-fields.ts';
import type { ConversationEvent } from './conversation-event.ts';
import type { ConversationRecord } from './conversation-record.ts';
import { currentPosition } from './current-position.ts';
import { validateSubmission } from './validate-submission.ts';

export type Translated =
  | { kind: 'event'; event: MachineEvent; redacted: string[] }
  | { kind: 'invalid'; errors: Record<string, string>; typed: Record<string, unknown> }
  | { kind: 'rejected'; reason: string };

/** The form fields the current step accepts, and whether all of them must be answered. */
export function formFields(
  flow: CompiledFlow,
  record: ConversationRecord,
): { fields: string[]; partial: boolean } | undefined {
  const { stepId, phase } = currentPosition(record.snapshot.value);
  const step = flow.steps.get(stepId);
  if (step?.type === 'capture') return { fields: step.fields, partial: false };
  if (step?.type === 'fix' && step.record?.length) return { fields: step.record, partial: true };
  if (step?.type === 'escalate' && phase === 'collect') {
    return {
      fields: missingTicketFields(flow.definition, capturedValues(record.snapshot.context.answers)),
      partial: false,
    };
  }
  return undefined;
}

/** Turns a neutral event into the machine's event, validating form values on the way. */
export function toMachineEvent(
  flow: CompiledFlow,
  record: ConversationRecord,
  event: Exclude<ConversationEvent, { type: 'start' } | { type: 'show' }>,
  stamp: { at: string; by: Actor },
): Translated {
  const ok = (machineEvent: MachineEvent): Translated => ({
    kind: 'event',
    event: machineEvent,
    redacted: [],
  });
  switch (event.type) {
    case 'choose':
      return ok({ type: 'CHOOSE', choice: event.choice, ...stamp });
    case 'back':
      return ok({ type: 'BACK', ...stamp });
    case 'restart':
      return ok({ type: 'RESTART', ...stamp });
    case 'escalate':
      return ok({ type: 'ESCALATE', ...stamp });
    case 'faq':
      return ok({ type: 'FAQ', faq: event.faq, ...stamp });
    case 'feedback':
      return ok({ type: 'FEEDBACK', helpful: event.helpful, ...stamp });
    case 'submit': {
      const form = formFields(flow, record);
      if (!form) return { kind: 'rejected', reason: 'this step has no form to submit' };
      const fields = form.fields.flatMap((id) => flow.fields.get(id) ?? []);
      const checked = validateSubmission(fields, event.values, { partial: form.partial });
      if (!checked.ok) {
        const sensitive = new Set(fields.filter((f) => f.sensitive).map((f) => f.id));
        const typed = Object.fromEntries(
          Object.entries(event.values)
            .filter(([id]) => !sensitive.has(id))
            .map(([id, value]) => [id, typeof value === 'string' ? redactSecrets(value) : value]),
        );
        return { kind: 'invalid', errors: checked.errors, typed };
      }
      return {
        kind: 'event',
        event: { type: 'SUBMIT', values: checked.values, ...stamp },
        redacted: checked.redacted,
      };
    }
  }
}
