// The playground page: pick or match a guide, then drive one conversation from the Teams card and the
// Slack message side by side, with the guide's diagram and, at escalation, the ticket. The conversation
// id lives in the URL fragment (#c=…), so a reload comes back to the same step.

import { api } from './api.js';
import { currentNode, renderDiagram } from './diagram.js';
import { h, replace } from './dom.js';
import { openSlackModal } from './slack-modal.js';
import { renderSlackMessage } from './slack-preview.js';
import { renderTeamsCard } from './teams-card.js';
import { renderTicket } from './ticket-panel.js';

const $ = (id) => document.getElementById(id);

const state = {
  /** The conversation shown: its id and the latest turn payload. */
  id: null,
  payload: null,
  /** The open Slack modal, and the revision of the card it was opened from. */
  modal: null,
  diagramText: null,
  busy: false,
};

const STATUS = {
  active: 'In progress',
  resolved: 'Resolved',
  escalated: 'Escalated',
  expired: 'Expired',
};

const OUTCOME = {
  applied: 'applied',
  unchanged: 'nothing to change',
  invalid: 'the form needs another look',
  rejected: 'not accepted by this step',
  stale: 'that card was out of date, so nothing changed',
  expired: 'the conversation has expired',
};

function setBusy(busy) {
  state.busy = busy;
  document.body.dataset.busy = String(busy);
  document.body.classList.toggle('is-busy', busy);
}

function showError(message) {
  const banner = $('error');
  banner.hidden = !message;
  replace(banner, message ?? '');
}

// ---- Guides and matches ------------------------------------------------------------------------

function guideButton(guide, extra) {
  return h(
    'button',
    {
      type: 'button',
      class: 'guide',
      dataset: { flowId: guide.id ?? guide.flowId },
      on: { click: () => start(guide.id ?? guide.flowId) },
    },
    h('span', { class: 'guide-title' }, guide.title),
    h('span', { class: 'guide-summary' }, withCode(guide.summary)),
    extra,
  );
}

/** A guide's plain text with its `code spans` drawn as code (as text nodes: nothing is parsed as HTML). */
function withCode(text) {
  const parts = String(text ?? '').split('`');
  if (parts.length % 2 === 0) return text;
  return parts.map((part, i) => (i % 2 === 1 ? h('code', {}, part) : part));
}

async function loadGuides() {
  const { guides } = await api.guides();
  replace(
    $('guides'),
    guides.map((g) =>
      h('li', {}, guideButton(g, h('span', { class: 'guide-meta' }, `${g.steps} steps · v${g.version}`))),
    ),
  );
}

async function findMatches(event) {
  event.preventDefault();
  const q = $('describe-text').value.trim();
  const box = $('matches');
  if (q === '') {
    replace(box);
    return;
  }
  try {
    const { matches } = await api.match(q);
    if (matches.length === 0) {
      replace(box, h('p', { class: 'muted' }, 'No guide matches those words. Pick one from the list below.'));
      return;
    }
    replace(
      box,
      h('p', { class: 'matches-head' }, `Guides that match “${q.length > 60 ? `${q.slice(0, 60)}…` : q}”`),
      h(
        'ul',
        { class: 'guide-list' },
        matches.map((m) => h('li', {}, guideButton(m))),
      ),
    );
  } catch (err) {
    replace(box, h('p', { class: 'error-text' }, err.message));
  }
}

// ---- Conversation ------------------------------------------------------------------------------

async function start(flowId) {
  if (state.busy) return;
  setBusy(true);
  showError(null);
  try {
    const payload = await api.start(flowId);
    state.id = payload.id;
    history.replaceState(null, '', `#c=${payload.id}`);
    await render(payload, { source: 'start' });
  } catch (err) {
    showError(`Could not start the guide: ${err.message}`);
  } finally {
    setBusy(false);
  }
}

async function resume(id) {
  setBusy(true);
  try {
    const payload = await api.show(id);
    state.id = id;
    await render(payload, { source: 'resume' });
  } catch {
    history.replaceState(null, '', location.pathname);
  } finally {
    setBusy(false);
  }
}

/** Sends what a surface reported (`{ teams }`, `{ slack }` or `{ slackModal }`) and draws the result. */
async function send(body, source) {
  if (state.busy || !state.id) return null;
  setBusy(true);
  showError(null);
  try {
    const payload = await api.send(state.id, body);
    await render(payload, { source });
    return payload;
  } catch (err) {
    showError(err.message);
    return null;
  } finally {
    setBusy(false);
  }
}

async function render(payload, { source }) {
  state.payload = payload;
  const { view } = payload;
  $('welcome').hidden = true;
  $('conversation').hidden = false;
  document.body.dataset.turns = String(Number(document.body.dataset.turns ?? 0) + 1);
  document.body.dataset.revision = String(view.revision);
  document.body.dataset.status = view.status;
  document.body.dataset.step = view.step.id;

  replace($('guide-title'), view.flow?.title ?? 'fixpath');
  markCurrentGuide(view.flow?.id);
  const status = $('status');
  status.className = `pill pill-${view.status}`;
  replace(status, STATUS[view.status] ?? view.status);
  const progress =
    view.status === 'active' && view.progress
      ? `Step ${view.progress.answered + 1} of about ${Math.max(view.progress.total, view.progress.answered) + 1}`
      : '';
  replace($('step-line'), [view.title, progress].filter(Boolean).join(' · '));
  const from = {
    teams: 'Teams',
    slack: 'Slack',
    slackModal: 'the Slack form',
    start: 'the guide list',
    resume: 'the link',
  };
  const outcome = OUTCOME[payload.outcome] ?? payload.outcome;
  const why = payload.outcome === 'rejected' && payload.reason ? `: ${payload.reason}` : '';
  const turnLine = $('turn-line');
  turnLine.className = `turn-line turn-${payload.outcome}`;
  replace(turnLine, `From ${from[source] ?? source}: ${outcome}${why} · revision ${view.revision}`);

  const teamsPane = $('teams-pane');
  replace(teamsPane, renderTeamsCard(payload.teams, { onAction: (data) => send({ teams: data }, 'teams') }));
  const slackPane = $('slack-pane');
  replace(
    slackPane,
    renderSlackMessage(payload.slack, {
      onAction: (click) => send({ slack: click }, 'slack'),
      host: slackPane,
    }),
  );
  syncModal(payload, source);
  renderTicket($('ticket'), view.ticket);
  await drawDiagram(payload.mermaid, view.step.id);
}

/**
 * The Slack modal stays open while its form comes back with errors (as `response_action: errors` keeps
 * it open in Slack); any other turn closes it. Slack's form button opens it.
 */
function syncModal(payload, source) {
  const { view } = payload;
  if (state.modal && source === 'slackModal' && payload.outcome === 'invalid') {
    state.modal.handle.showErrors(view.form?.errors ?? {});
    $('slack-pane').append(state.modal.handle.element);
    return;
  }
  state.modal?.handle.close();
  state.modal = null;
  if (!payload.openSlackModal || !payload.slackModal) return;
  const pane = $('slack-pane');
  const card = { revision: view.revision, conversationId: view.conversationId ?? '' };
  const handle = openSlackModal(payload.slackModal, {
    host: pane,
    onSubmit: (values) => send({ slackModal: { values, ...card } }, 'slackModal'),
    onClose: () => {
      state.modal = null;
    },
  });
  state.modal = { handle };
}

async function drawDiagram(text, stepId) {
  const box = $('diagram');
  box.dataset.currentStep = stepId;
  if (!text) {
    replace(box, h('p', { class: 'muted' }, 'This conversation has no guide to draw.'));
    state.diagramText = null;
    return;
  }
  if (text === state.diagramText) return;
  state.diagramText = text;
  try {
    const svg = await renderDiagram(box, text);
    centreOn(box, currentNode(svg));
  } catch (err) {
    replace(box, h('p', { class: 'error-text' }, `The diagram could not be drawn: ${err.message}`));
  }
}

/** Scrolls the diagram box (not the page) so the current step sits in its middle. */
function centreOn(box, node) {
  if (!node) return;
  const outer = box.getBoundingClientRect();
  const inner = node.getBoundingClientRect();
  box.scrollLeft += inner.left + inner.width / 2 - (outer.left + outer.width / 2);
  box.scrollTop += inner.top + inner.height / 2 - (outer.top + outer.height / 2);
}

// ---- Wiring ------------------------------------------------------------------------------------

/** Marks the running guide in the lists. */
function markCurrentGuide(flowId) {
  for (const el of document.querySelectorAll('.guide[data-flow-id]')) {
    el.classList.toggle('is-current', el.dataset.flowId === flowId);
  }
}

function closeConversation() {
  state.modal?.handle.close();
  Object.assign(state, { id: null, payload: null, modal: null });
  history.replaceState(null, '', location.pathname);
  $('conversation').hidden = true;
  $('welcome').hidden = false;
  markCurrentGuide(undefined);
  delete document.body.dataset.revision;
}

async function main() {
  $('describe').addEventListener('submit', findMatches);
  $('close-conversation').addEventListener('click', closeConversation);
  $('new-conversation').addEventListener('click', () => {
    const flowId = state.payload?.view.flow?.id;
    if (flowId) start(flowId);
  });
  try {
    await loadGuides();
  } catch (err) {
    showError(`Could not load the guides: ${err.message}`);
  }
  const id = /^#c=([0-9a-f-]{36})$/.exec(location.hash)?.[1];
  if (id) await resume(id);
  setBusy(false);
}

// The renderer and Mermaid load with `defer`, which runs before this module does.
main();
