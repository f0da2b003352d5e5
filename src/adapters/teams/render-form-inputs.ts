import type { ViewField, ViewForm } from '../../runtime/step-view.ts';
import { fieldInputId } from './card-action.ts';
import { type CardDetail, oneLine, truncate } from './card-limits.ts';
import { guideText, userText } from './card-text.ts';

const UNIT_WORDS: Record<string, string> = {
  ms: 'milliseconds',
  s: 'seconds',
  m: 'minutes',
  h: 'hours',
  d: 'days',
};
const DURATION_PART = String.raw`\d+(?:\.\d+)?\s*(?:[mM][sS]|[sSmMhHdD])\s*`;
/** A duration as the engine reads it (`90s`, `1h30m`, `3600000ms`), in any letter case. */
export const DURATION_REGEX = String.raw`^\s*(?:${DURATION_PART})+$`;
/** The same, or a bare number, which a field with a `unit` reads in that unit. */
export const DURATION_OR_NUMBER_REGEX = String.raw`^\s*(?:(?:${DURATION_PART})+|\d+(?:\.\d+)?\s*)$`;
const YES_NO: Record<string, 'true' | 'false'> = {
  yes: 'true',
  y: 'true',
  true: 'true',
  no: 'false',
  n: 'false',
  false: 'false',
};

/**
 * A form's fields as card inputs, each followed (after a refused submit) by the engine's error in red,
 * then by its help. Inputs are named `field:<id>`; sensitive fields are masked and never filled in.
 */
export function renderFormInputs(form: ViewForm, detail: CardDetail): object[] {
  const elements: object[] = [];
  const known = new Set(form.fields.map((f) => f.id));
  for (const field of form.fields) {
    // A record form is optional as a whole: the engine skips blanks there, so nothing is required.
    const required = field.required && !form.optional;
    elements.push(input(field, required, detail));
    const error = form.errors[field.id];
    if (error) elements.push(errorText(error, detail));
    if (field.help && detail.helpChars > 0) {
      elements.push({
        type: 'TextBlock',
        text: guideText(truncate(field.help, detail.helpChars)),
        isSubtle: true,
        size: 'small',
        wrap: true,
        spacing: 'none',
      });
    }
  }
  // Errors for keys the form does not have (a tampered or outdated submit) still need to be seen.
  for (const [key, error] of Object.entries(form.errors)) {
    if (!known.has(key)) elements.push(errorText(userText(error), detail));
  }
  return elements;
}

function errorText(error: string, detail: CardDetail): object {
  return {
    type: 'TextBlock',
    text: truncate(oneLine(error), detail.errorChars),
    color: 'attention',
    wrap: true,
    spacing: 'none',
  };
}

function input(field: ViewField, required: boolean, detail: CardDetail): object {
  const value = field.sensitive ? undefined : field.value;
  const base = {
    id: fieldInputId(field.id),
    label: truncate(field.label, detail.labelChars),
    ...(required ? { isRequired: true } : {}),
  };
  const placeholder =
    field.placeholder && detail.placeholders ? truncate(field.placeholder, detail.labelChars) : undefined;
  switch (field.type) {
    case 'text': {
      const { pattern, patternHint } = field;
      const hint = patternHint ?? 'Not in the expected format.';
      return {
        type: 'Input.Text',
        ...base,
        ...(placeholder ? { placeholder } : {}),
        ...(field.multiline && !field.sensitive ? { isMultiline: true } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(pattern ? { regex: `^(?:${pattern})$` } : {}),
        ...(field.sensitive ? { style: 'password' } : {}),
        ...(pattern ? { errorMessage: hint } : required ? { errorMessage: 'Required.' } : {}),
        ...(value
          ? { value: truncate(value, Math.min(detail.valueChars, field.maxLength ?? Infinity)) }
          : {}),
      };
    }
    case 'duration': {
      const { unit } = field;
      const bare = unit ? ` A number alone means ${UNIT_WORDS[unit]}.` : '';
      return {
        type: 'Input.Text',
        ...base,
        ...(detail.placeholders
          ? {
              placeholder:
                placeholder ??
                (unit ? `e.g. 30m, 1h or a number of ${UNIT_WORDS[unit]}` : 'e.g. 30m, 1h or 90s'),
            }
          : {}),
        maxLength: 100,
        regex: unit ? DURATION_OR_NUMBER_REGEX : DURATION_REGEX,
        errorMessage: `Enter a duration such as 30m, 1h, 90s or 3600000ms.${bare}`,
        ...(value ? { value: truncate(value, 100) } : {}),
      };
    }
    case 'number': {
      const number = value === undefined ? Number.NaN : Number(value.replace(/[,_\s]/g, ''));
      const min = typeof field.min === 'number' ? field.min : undefined;
      const max = typeof field.max === 'number' ? field.max : undefined;
      return {
        type: 'Input.Number',
        ...base,
        ...(placeholder ? { placeholder } : {}),
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
        errorMessage: `Enter a number${range(min, max)}.`,
        ...(value !== undefined && value.trim() !== '' && Number.isFinite(number) ? { value: number } : {}),
      };
    }
    case 'choice': {
      const options = field.options ?? [];
      const chosen = options.find((o) => o.id === value || o.label.toLowerCase() === value?.toLowerCase());
      return {
        type: 'Input.ChoiceSet',
        ...base,
        style: 'compact',
        ...(detail.placeholders ? { placeholder: placeholder ?? 'Pick one' } : {}),
        choices: options.map((o) => ({ title: o.label, value: o.id })),
        wrap: true,
        errorMessage: 'Pick one.',
        ...(chosen ? { value: chosen.id } : {}),
      };
    }
    case 'yesno': {
      // Radio buttons rather than Input.Toggle: a toggle cannot be left unanswered (an untouched optional
      // one would report "no"), and a required toggle only validates when switched on.
      const chosen = value === undefined ? undefined : YES_NO[value.trim().toLowerCase()];
      return {
        type: 'Input.ChoiceSet',
        ...base,
        style: 'expanded',
        choices: [
          { title: 'Yes', value: 'true' },
          { title: 'No', value: 'false' },
        ],
        errorMessage: 'Answer yes or no.',
        ...(chosen ? { value: chosen } : {}),
      };
    }
  }
}

function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}
