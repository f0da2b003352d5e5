import { formatDuration } from './duration.ts';
import type { FieldDefinition } from './flow-schema.ts';

/** Shown in place of a sensitive field's value everywhere but the form the user typed it into. */
export const MASKED = '•••••• (sensitive, not shown)';
export const NOT_GIVEN = '(not given)';

/** A captured value as people read it: `1h 30m`, `yes`, the option's label. */
export function formatFieldValue(
  field: FieldDefinition,
  value: string | number | boolean | null | undefined,
): string {
  if (value === null || value === undefined || value === '') return NOT_GIVEN;
  if (field.sensitive) return MASKED;
  switch (field.type) {
    case 'duration':
      return typeof value === 'number' ? formatDuration(value) : String(value);
    case 'yesno':
      return value === true ? 'yes' : 'no';
    case 'choice':
      return field.options.find((o) => o.id === value)?.label ?? String(value);
    default:
      return String(value);
  }
}
