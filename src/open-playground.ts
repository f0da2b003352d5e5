import { readAction } from './adapters/slack/action-ids.ts';
import { readModalValues } from './adapters/slack/read-modal-values.ts';
import { renderFormModal } from './adapters/slack/render-form-modal.ts';
import { renderStepMessage } from './adapters/slack/render-step-message.ts';
import { readCardAction } from './adapters/teams/read-card-action.ts';
import { renderStepCard } from './adapters/teams/render-step-card.ts';
import { createWebPlayground, type WebPlayground } from './adapters/web/create-web-playground.ts';
import type { WebPlaygroundDeps } from './adapters/web/web-playground-deps.ts';

/**
 * The web playground with the Slack and Teams adapters' own renderers and readers, so each step is
 * drawn, and each click read, exactly as those surfaces do it (the web adapter imports neither SDK).
 */
export function openPlayground(
  deps: Pick<WebPlaygroundDeps, 'engine' | 'logger'> & Partial<WebPlaygroundDeps>,
): WebPlayground {
  return createWebPlayground({
    renderSlack: renderStepMessage,
    renderSlackModal: (view) => renderFormModal(view, { conversationKey: 'playground' }),
    renderTeams: renderStepCard,
    readSlackAction: readAction,
    readSlackModalValues: readModalValues,
    readTeamsAction: readCardAction,
    ...deps,
  });
}
