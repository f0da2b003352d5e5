import type { types } from '@slack/bolt';
import type { StepView } from '../../runtime/step-view.ts';
import { ACTION_IDS, eventValue } from './action-ids.ts';
import { plain } from './block-kit-text.ts';
import { SLACK_LIMITS as L } from './limits.ts';

/**
 * The row under every step: Back, Start over, I need help now (those the view allows) and the FAQ
 * select. The select's options stop at Slack's 100, or earlier when their text would pass `maxText`.
 */
export function renderNavigation(view: StepView, maxText: number): types.ActionsBlock | undefined {
  const elements: types.ActionsBlockElement[] = [];
  if (view.actions.includes('back')) {
    elements.push(button('Back', ACTION_IDS.back, eventValue({ type: 'back' })));
  }
  if (view.actions.includes('restart')) {
    const restart = button('Start over', ACTION_IDS.restart, eventValue({ type: 'restart' }));
    if (view.status === 'active') {
      restart.confirm = {
        title: plain('Start over?', L.confirmTitle),
        text: plain(
          'Your answers so far are cleared and the guide starts from its first step.',
          L.confirmText,
        ),
        confirm: plain('Start over', L.confirmButton),
        deny: plain('Keep going', L.confirmButton),
      };
    }
    elements.push(restart);
  }
  if (view.actions.includes('escalate')) {
    elements.push(button('I need help now', ACTION_IDS.escalate, eventValue({ type: 'escalate' })));
  }
  if (view.actions.includes('faq')) {
    const select = faqSelect(view.faq, maxText);
    if (select) elements.push(select);
  }
  return elements.length > 0 ? { type: 'actions', elements } : undefined;
}

function button(text: string, actionId: string, value: string): types.Button {
  return { type: 'button', text: plain(text, L.buttonText), action_id: actionId, value };
}

function faqSelect(faq: StepView['faq'], maxText: number): types.StaticSelect | undefined {
  const options: types.PlainTextOption[] = [];
  let used = 0;
  for (const entry of faq) {
    if (options.length === L.selectOptions) break;
    if (entry.id.length > L.optionValue) continue;
    const text = plain(entry.question, L.optionText);
    used += text.text.length;
    if (used > maxText) break;
    options.push({ text, value: entry.id });
  }
  if (options.length === 0) return undefined;
  return {
    type: 'static_select',
    action_id: ACTION_IDS.faq,
    placeholder: plain('Common questions', L.placeholder),
    options,
  };
}
