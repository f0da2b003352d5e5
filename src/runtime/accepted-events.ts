import type { StepView } from './step-view.ts';

/** What the current step accepts, in the words `fixpath replay` and the CLI use. */
export function accepted(view: StepView): string[] {
  const accepts = view.choices.map((c) =>
    c.event.type === 'feedback'
      ? `feedback: ${c.event.helpful ? 'yes' : 'no'}`
      : `choose: ${c.id} ("${c.label}")`,
  );
  if (view.form) accepts.push(`submit: ${view.form.fields.map((f) => f.id).join(', ')}`);
  for (const action of view.actions) {
    accepts.push(action === 'faq' ? `faq: ${view.faq.map((f) => f.id).join(', ')}` : action);
  }
  return accepts;
}

/** Why an event the current step does not take was refused. */
export function rejectionReason(type: string, view: StepView): string {
  if (type === 'back' && !view.actions.includes('back')) return 'there is no earlier answer to go back to';
  return `step "${view.step.id}" does not accept ${type} here`;
}
