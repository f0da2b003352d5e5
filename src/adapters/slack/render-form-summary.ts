import type { types } from '@slack/bolt';
import type { ViewField, ViewForm } from '../../runtime/step-view.ts';
import { ACTION_IDS } from './action-ids.ts';
import { mrkdwn, oneLine, plain } from './block-kit-text.ts';
import { escapeMrkdwn, guideMrkdwn } from './escape-mrkdwn.ts';
import { SLACK_LIMITS as L, truncate } from './limits.ts';

const LABEL_MAX = 100;
const VALUE_MAX = 80;

/**
 * A form in the step message: the modal holds the inputs, the message says what they are. A form that
 * must be filled (capture, ticket details) lists its fields with what was given and any errors, above a
 * primary "Fill in …" button; a fix step's optional record form is one line with a plain button.
 */
export function renderFormSummary(form: ViewForm, stepTitle: string, max: number): types.KnownBlock[] {
  if (form.optional) return [recordSection(form, max)];
  const lines: string[] = [];
  if (oneLine(form.title) !== oneLine(stepTitle)) lines.push(`*${guideMrkdwn(oneLine(form.title))}*`);
  if (form.intro) lines.push(guideMrkdwn(form.intro));
  const errors = form.fields.filter((f) => form.errors[f.id] !== undefined).length;
  if (errors > 0)
    lines.push(`:warning: ${errors === 1 ? 'One answer needs' : `${errors} answers need`} another look.`);
  lines.push(
    ...fitLines(
      form.fields.map((f) => fieldLine(f, form.errors[f.id])),
      max - joined(lines).length,
    ),
  );
  const button: types.Button = {
    type: 'button',
    text: plain(buttonText(form, errors), L.buttonText),
    action_id: ACTION_IDS.form,
    value: 'form',
    style: 'primary',
  };
  return [
    {
      type: 'section',
      text: mrkdwn(truncate(joined(lines), Math.min(max, L.sectionText)), { verbatim: true }),
    },
    { type: 'actions', elements: [button] },
  ];
}

function recordSection(form: ViewForm, max: number): types.SectionBlock {
  const lines = [form.intro ? guideMrkdwn(form.intro) : `*${guideMrkdwn(oneLine(form.title))}*`];
  const recorded = form.fields.filter((f) => f.value !== undefined && f.value !== '');
  lines.push(
    ...fitLines(
      recorded.map((f) => fieldLine(f, form.errors[f.id])),
      max - joined(lines).length,
    ),
  );
  return {
    type: 'section',
    text: mrkdwn(truncate(joined(lines), Math.min(max, L.sectionText)), { verbatim: true }),
    accessory: {
      type: 'button',
      text: plain(form.title, L.buttonText),
      action_id: ACTION_IDS.form,
      value: 'form',
    },
  };
}

/** "✓ Label: value", "○ Label (optional)", "🔒 Label" (a sensitive value is never shown), "⚠️ Label: error". */
function fieldLine(field: ViewField, error: string | undefined): string {
  const label = guideMrkdwn(truncate(oneLine(field.label), LABEL_MAX));
  if (error !== undefined)
    return `:warning: ${label}: ${escapeMrkdwn(truncate(oneLine(error), VALUE_MAX * 2))}`;
  if (field.sensitive) return `:lock: ${label}${field.required ? '' : ' _(optional)_'}`;
  if (field.value !== undefined && field.value !== '') {
    return `✓ ${label}: ${escapeMrkdwn(truncate(oneLine(displayValue(field)), VALUE_MAX))}`;
  }
  return `○ ${label}${field.required ? '' : ' _(optional)_'}`;
}

/** A choice field holds an option id: show its label. */
function displayValue(field: ViewField): string {
  const value = field.value ?? '';
  return field.options?.find((o) => o.id === value)?.label ?? value;
}

/** As many lines as fit in `max` characters, then how many more there are. */
function fitLines(lines: string[], max: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const more = `…and ${lines.length - i} more`;
    const last = i === lines.length - 1;
    if (used + line.length + 1 > max - (last ? 0 : more.length + 1)) return [...kept, more];
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}

function buttonText(form: ViewForm, errors: number): string {
  const count = form.fields.length;
  if (count === 0) return form.submitLabel;
  if (errors > 0) return 'Correct the answers';
  if (form.fields.some((f) => f.value !== undefined && f.value !== '')) return 'Edit the details';
  return count === 1 ? 'Fill in the detail' : `Fill in ${count} details`;
}

const joined = (lines: string[]) => lines.join('\n');
