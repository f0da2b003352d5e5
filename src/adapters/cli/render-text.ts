import type { StepView, ViewBlock, ViewField } from '../../runtime/step-view.ts';

const MARK = { worked: '✓', did_not_work: '✗', skipped: '⤼' } as const;
const TYPE_HINT: Record<ViewField['type'], string> = {
  text: 'text',
  number: 'a number',
  duration: 'a duration such as 30m, 1h or 3600000ms',
  choice: 'pick one',
  yesno: 'yes or no',
};

/** The view as terminal text: history, the step, numbered choices and the commands available. */
export function renderText(view: StepView): string {
  const out: string[] = [];
  const meta = [
    view.progress && view.status === 'active'
      ? `step ${view.progress.answered + 1} of ${view.progress.total + 1}`
      : '',
    view.layer ? `ladder: ${view.layer.title} (${view.layer.index}/${view.layer.count})` : '',
  ].filter(Boolean);
  out.push(`━━ ${view.flow?.title ?? 'fixpath'} ━━${meta.length ? `  ${meta.join(' · ')}` : ''}`);
  for (const item of view.history) {
    out.push(`  ${item.outcome ? MARK[item.outcome] : '·'} ${item.title}: ${item.answer}`);
  }
  if (view.notice) out.push('', `! ${view.notice.text}`);
  out.push('', view.title, '');
  for (const block of view.blocks) out.push(...renderBlock(block), '');
  if (view.faqAnswer) out.push(`FAQ: ${view.faqAnswer.question}`, `  ${view.faqAnswer.answer}`, '');
  if (view.form?.optional) {
    out.push(
      `(Optional) ${view.form.title}: type "record" to fill in ${view.form.fields.map((f) => f.label).join(', ')}.`,
      '',
    );
  }
  if (view.prompt) out.push(view.prompt);
  if (view.feedback) out.push(view.feedback.given === null ? view.feedback.question : view.feedback.thanks);
  view.choices.forEach((choice, i) => {
    out.push(`  ${i + 1}. ${choice.label}${choice.description ? `: ${choice.description}` : ''}`);
  });
  if (view.note) out.push(`(${view.note})`);
  if (view.ticket) out.push('', `Ticket filed for ${view.ticket.team}:`, '', view.ticket.markdown);
  out.push('', commandsLine(view));
  return `${out.join('\n')}\n`;
}

export function renderFieldPrompt(field: ViewField, error?: string): string {
  const lines: string[] = [];
  if (error) lines.push(`  ✗ ${error}`);
  if (field.help) lines.push(`  ${field.help}`);
  for (const [i, o] of (field.options ?? []).entries()) lines.push(`    ${i + 1}. ${o.label}`);
  const required = field.required ? '' : ', optional';
  const current = field.value !== undefined ? ` [${field.value}]` : '';
  lines.push(`${field.label} (${TYPE_HINT[field.type]}${required})${current}: `);
  return lines.join('\n');
}

function renderBlock(block: ViewBlock): string[] {
  switch (block.kind) {
    case 'text':
      return [block.text];
    case 'labelled':
      return [`${block.label}: ${block.text}`];
    case 'list':
      return [
        ...(block.heading ? [`${block.heading}:`] : []),
        ...block.items.map((item, i) => (block.ordered ? `  ${i + 1}) ${item}` : `  • ${item}`)),
      ];
    case 'checklist':
      return block.items.map((item) => `  ☐ ${item}`);
  }
}

function commandsLine(view: StepView): string {
  const commands: string[] = [];
  if (view.choices.length > 0) commands.push('a number or a label');
  if (view.actions.includes('back')) commands.push('back');
  if (view.actions.includes('restart')) commands.push('restart');
  if (view.actions.includes('escalate')) commands.push('escalate (I need help now)');
  if (view.actions.includes('faq')) commands.push('faq');
  commands.push('help', 'quit');
  return `Type ${commands.join(' · ')}`;
}
