import { redactSecrets } from '../escalation/redact-secrets.ts';
import { formatDuration, parseDuration } from '../flow/duration.ts';
import type { FieldDefinition } from '../flow/flow-schema.ts';
import type { FieldValue } from '../machine/flow-context.ts';

export type SubmissionResult =
  | { ok: true; values: Record<string, FieldValue>; redacted: string[] }
  | { ok: false; errors: Record<string, string> };

type Raw = string | number | boolean | null | undefined;

/**
 * Checks what a user typed against the fields' types and limits, and converts it to stored values.
 * With `partial` (recording findings on a fix step) nothing is required and blanks are skipped.
 * Secrets pasted into ordinary text fields are redacted before anything keeps them.
 */
export function validateSubmission(
  fields: readonly FieldDefinition[],
  raw: Readonly<Record<string, Raw>>,
  { partial = false }: { partial?: boolean } = {},
): SubmissionResult {
  const errors: Record<string, string> = {};
  const values: Record<string, FieldValue> = {};
  const redacted: string[] = [];
  const known = new Set(fields.map((f) => f.id));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) errors[key] = `This step has no field \`${key}\`.`;
  }
  for (const field of fields) {
    const input = raw[field.id];
    const text = input === undefined || input === null ? '' : String(input).trim();
    if (text === '') {
      if (partial) continue;
      if (field.required) errors[field.id] = 'Required.';
      else values[field.id] = null;
      continue;
    }
    const result = convert(field, input as string | number | boolean, text);
    if ('error' in result) errors[field.id] = result.error;
    else {
      let value = result.value;
      if (field.type === 'text' && !field.sensitive && typeof value === 'string') {
        const clean = redactSecrets(value);
        if (clean !== value) redacted.push(field.id);
        value = clean;
      }
      values[field.id] = value;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values, redacted };
}

function convert(
  field: FieldDefinition,
  input: string | number | boolean,
  text: string,
): { value: FieldValue } | { error: string } {
  switch (field.type) {
    case 'text': {
      if (field.minLength !== undefined && text.length < field.minLength) {
        return { error: `At least ${field.minLength} characters.` };
      }
      if (text.length > field.maxLength)
        return { error: `At most ${field.maxLength} characters (this has ${text.length}).` };
      if (field.pattern !== undefined && !new RegExp(`^(?:${field.pattern})$`).test(text)) {
        return { error: field.patternHint ?? 'Not in the expected format.' };
      }
      return { value: text };
    }
    case 'number': {
      const number = typeof input === 'number' ? input : Number(text.replace(/[,_\s]/g, ''));
      if (!Number.isFinite(number)) return { error: 'Enter a number.' };
      if (field.integer && !Number.isInteger(number)) return { error: 'Enter a whole number.' };
      if (field.min !== undefined && number < field.min) return { error: `At least ${field.min}.` };
      if (field.max !== undefined && number > field.max) return { error: `At most ${field.max}.` };
      return { value: number };
    }
    case 'duration': {
      const ms = parseDuration(text, field.unit);
      if (ms === undefined) {
        const bare = field.unit ? ` A number alone means ${UNIT_WORDS[field.unit]}.` : '';
        return { error: `Enter a duration such as 30m, 1h, 90s or 3600000ms.${bare}` };
      }
      const min = field.min === undefined ? undefined : parseDuration(field.min);
      const max = field.max === undefined ? undefined : parseDuration(field.max);
      if (min !== undefined && ms < min) return { error: `At least ${formatDuration(min)}.` };
      if (max !== undefined && ms > max) return { error: `At most ${formatDuration(max)}.` };
      return { value: ms };
    }
    case 'choice': {
      const lower = text.toLowerCase();
      const option = field.options.find((o) => o.id === text || o.label.toLowerCase() === lower);
      return option
        ? { value: option.id }
        : { error: `Pick one of: ${field.options.map((o) => o.label).join(', ')}.` };
    }
    case 'yesno': {
      if (typeof input === 'boolean') return { value: input };
      const answer = YES_NO[text.toLowerCase()];
      return answer === undefined ? { error: 'Answer yes or no.' } : { value: answer };
    }
  }
}

const UNIT_WORDS = { ms: 'milliseconds', s: 'seconds', m: 'minutes', h: 'hours', d: 'days' } as const;
const YES_NO: Record<string, boolean> = { yes: true, y: true, true: true, no: false, n: false, false: false };
