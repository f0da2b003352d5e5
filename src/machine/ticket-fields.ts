import type { FlowDefinition } from '../flow/flow-schema.ts';
import type { FieldValue } from './flow-context.ts';

/** The fields the guide's "what to capture" list names, in its order. */
export function ticketFieldIds(definition: FlowDefinition): string[] {
  return definition.capture.items.flatMap((item) => item.fields ?? []);
}

/**
 * Ticket fields not answered yet. A required field needs a value; an optional one only needs to have
 * been offered (left blank is recorded as null).
 */
export function missingTicketFields(
  definition: FlowDefinition,
  values: Readonly<Record<string, FieldValue>>,
): string[] {
  return ticketFieldIds(definition).filter(
    (id) => !(id in values) || (values[id] === null && isRequired(definition, id)),
  );
}

function isRequired(definition: FlowDefinition, id: string): boolean {
  return definition.fields.find((f) => f.id === id)?.required ?? true;
}
