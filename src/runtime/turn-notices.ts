import type { CompiledFlow } from '../machine/compile-flow.ts';
import type { StepView } from './step-view.ts';

/** The redaction warning, if any, followed by what happened to the ticket. */
export function withFilingNotice(notice: StepView['notice'] | undefined, filing: string | undefined) {
  if (!filing) return notice ?? undefined;
  return notice
    ? { kind: notice.kind, text: `${notice.text} ${filing}` }
    : { kind: 'info' as const, text: filing };
}

/** The warning shown when something that looked like a secret was taken out of an answer. */
export function redactionNotice(flow: CompiledFlow, fieldIds: string[]): StepView['notice'] {
  const labels = fieldIds.map((id) => flow.fields.get(id)?.label ?? id).join(', ');
  return {
    kind: 'warning',
    text: `Something that looked like a secret was removed from: ${labels}. Never paste tokens or passwords here.`,
  };
}
