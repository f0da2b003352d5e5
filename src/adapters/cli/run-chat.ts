import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Actor } from '../../machine/flow-context.ts';
import type { ConversationEvent } from '../../runtime/conversation-event.ts';
import type { Engine, TurnResult } from '../../runtime/create-engine.ts';
import { matchLabel } from '../../runtime/match-label.ts';
import type { StepView, ViewForm } from '../../runtime/step-view.ts';
import { renderFieldPrompt, renderText } from './render-text.ts';

export interface ChatOptions {
  engine: Engine;
  flowId: string;
  input: Readable;
  output: Writable;
  actor: Actor;
  /** After each turn that changed something: a line to print under the step (where a ticket was saved). */
  afterTurn?: (result: TurnResult, conversationKey: string) => Promise<string | undefined>;
}

const HELP = `Commands:
  <number> or <label>   answer the current step
  back                  change your previous answer
  restart               start the guide over
  escalate              I need help now: file a ticket with what we have
  faq [number|text]     frequently asked questions
  record                fill in the optional "record what you found" form of a fix step
  help                  this list
  quit                  leave (the conversation ends with this terminal)`;

/** The terminal walk-through: reads a line, turns it into an event, prints the next view. */
export async function runChat(options: ChatOptions): Promise<void> {
  const { engine, flowId, output, actor } = options;
  const rl = createInterface({ input: options.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string | undefined> => {
    output.write(prompt);
    const next = await lines.next();
    return next.done ? undefined : String(next.value);
  };
  const key = `cli:${process.pid}:${flowId}`;
  const turn = (event: ConversationEvent) => engine.turn({ key, event, actor });

  let view = (await turn({ type: 'start', flowId })).view;
  output.write(renderText(view));
  try {
    for (;;) {
      const mustFill = view.form && !view.form.optional ? view.form : undefined;
      const event = mustFill ? await fillForm(mustFill, ask, output) : await readCommand(view, ask, output);
      if (event === 'quit') return;
      if (event === undefined) continue;
      const result: TurnResult = await turn(event);
      if (result.outcome === 'rejected')
        output.write(`That does not fit this step: ${result.reason ?? ''}\n`);
      view = result.view;
      if (result.outcome !== 'invalid') output.write(`\n${renderText(view)}`);
      else output.write('Some answers need another look:\n');
      const note = result.effects.length > 0 ? await options.afterTurn?.(result, key) : undefined;
      if (note) output.write(`${note}\n`);
    }
  } finally {
    rl.close();
  }
}

type Ask = (prompt: string) => Promise<string | undefined>;
type Command = ConversationEvent | 'quit' | 'help';

/** The words that work everywhere, forms included: a whole line that is one of them is a command. */
function globalCommand(text: string): Command | undefined {
  const command = text.trim().toLowerCase();
  if (command === 'quit' || command === 'exit') return 'quit';
  if (command === 'help' || command === '?') return 'help';
  if (command === 'back' || command === 'restart' || command === 'escalate') return { type: command };
  if (/^i need help( now)?$/.test(command)) return { type: 'escalate' };
  return undefined;
}

/** A 1-based position typed as digits only (`2`, not `2.0` or `0x2`). */
function position<T>(items: readonly T[], text: string): T | undefined {
  return /^\d+$/.test(text) ? items[Number(text) - 1] : undefined;
}

async function readCommand(
  view: StepView,
  ask: Ask,
  output: Writable,
): Promise<ConversationEvent | 'quit' | undefined> {
  const line = await ask('> ');
  if (line === undefined) return 'quit';
  const text = line.trim();
  if (text === '') return undefined;
  const command = globalCommand(text);
  if (command === 'help') {
    output.write(`${HELP}\n`);
    return undefined;
  }
  if (command !== undefined) return command;
  const [word = '', ...rest] = text.split(/\s+/);
  if (word.toLowerCase() === 'faq') return chooseFaq(view, rest.join(' '), ask, output);
  if (word.toLowerCase() === 'record' && view.form) return fillForm(view.form, ask, output);
  const byNumber = position(view.choices, text);
  if (byNumber) return byNumber.event;
  const found = matchLabel(view.choices, text, (c) => c);
  if ('match' in found) return found.match.event;
  output.write(
    'ambiguous' in found
      ? `"${text}" matches several choices: ${found.ambiguous.map((c) => c.label).join(', ')}. Type more of it, or its number.\n`
      : `"${text}" is not one of the choices. Type a number, a label, or help.\n`,
  );
  return undefined;
}

async function chooseFaq(view: StepView, wanted: string, ask: Ask, output: Writable) {
  if (view.faq.length === 0) {
    output.write('This guide has no FAQ.\n');
    return undefined;
  }
  let text = wanted;
  if (text === '') {
    for (const [i, f] of view.faq.entries()) output.write(`  ${i + 1}. ${f.question}\n`);
    const answer = await ask('Which question? ');
    if (answer === undefined) return 'quit';
    text = answer.trim();
  }
  const byNumber = position(view.faq, text);
  const found = byNumber
    ? { match: byNumber }
    : matchLabel(view.faq, text, (f) => ({ id: f.id, label: f.question }));
  if ('match' in found) return { type: 'faq' as const, faq: found.match.id };
  output.write('No FAQ entry matches that.\n');
  return undefined;
}

/**
 * Asks a form field by field (only the refused ones when it comes back with errors). The global
 * commands still work on any field: `back` leaves the form, `quit` ends the chat.
 */
async function fillForm(form: ViewForm, ask: Ask, output: Writable): Promise<ConversationEvent | 'quit'> {
  output.write(`${form.title}${form.intro ? `: ${form.intro}` : ''}\n`);
  const values: Record<string, string> = {};
  const only = Object.keys(form.errors);
  for (const field of form.fields) {
    if (only.length > 0 && !only.includes(field.id)) {
      if (field.value !== undefined) values[field.id] = field.value;
      continue;
    }
    for (;;) {
      const answer = await ask(renderFieldPrompt(field, form.errors[field.id]));
      if (answer === undefined) return 'quit';
      const command = globalCommand(answer);
      if (command === 'help') {
        output.write(`${HELP}\n`);
        continue;
      }
      if (command !== undefined) return command;
      const typed = answer.trim() === '' && field.value !== undefined ? field.value : answer.trim();
      values[field.id] = position(field.options ?? [], typed)?.id ?? typed;
      break;
    }
  }
  return { type: 'submit', values };
}
