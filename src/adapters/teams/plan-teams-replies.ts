import { createHash } from 'node:crypto';
import type { Logger } from '../../logger.ts';
import type { Actor } from '../../machine/flow-context.ts';
import type { ConversationEvent } from '../../runtime/conversation-event.ts';
import type { TurnResult } from '../../runtime/create-engine.ts';
import { matchLabel } from '../../runtime/match-label.ts';
import { runTurn } from '../../runtime/run-turn.ts';
import { oneLine, truncate } from './card-limits.ts';
import { userText } from './card-text.ts';
import { offerTeamsGuides } from './offer-teams-guides.ts';
import type { CardAction } from './read-card-action.ts';
import type { TeamsInbound } from './read-teams-activity.ts';
import { readTeamsCommand } from './read-teams-command.ts';
import { renderStepCard } from './render-step-card.ts';
import { renderTicketCard } from './render-ticket-card.ts';
import type { TeamsPlace } from './teams-conversation-key.ts';
import { DEDUPE_TTL_MS, type TeamsDeps } from './teams-deps.ts';
import { TEAMS_HELP, TEAMS_WELCOME } from './teams-help-text.ts';
import { cardAnswer, messageAnswer, type TeamsPlan, type TeamsReply } from './teams-reply.ts';

export interface PlanInput {
  inbound: Exclude<TeamsInbound, { kind: 'ignored' } | { kind: 'other-invoke' }>;
  place: TeamsPlace;
  actor: Actor;
  /** The activity's id, claimed once so a redelivery changes nothing. */
  activityId: string | undefined;
  /** The running guide's card as last remembered, for typed commands to update in place. */
  stepCardId: string | null;
}

const OLD_BUTTON =
  'That button belongs to an older version of fixpath. Describe the problem again to start over.';
const ALREADY_RUNNING =
  'That guide is already running here: its card is the latest fixpath card in this conversation.';
const NO_GUIDE = 'No guide is running here yet. Describe the problem, or type **guides** to see them all.';

/**
 * Decides what one activity does: claims it once, runs the engine turn and says how to answer (the
 * invoke's card) and what to write after (cards posted or replaced, the ticket, text). Sends nothing:
 * `TeamsDelivery` does that after Teams has its answer.
 */
export async function planTeamsReplies(input: PlanInput, deps: TeamsDeps, log: Logger): Promise<TeamsPlan> {
  const { inbound, place } = input;
  const firstDelivery =
    input.activityId === undefined ||
    (await deps.dedupe.claim(
      `teams:activity:${place.baseConversationId}:${input.activityId}`,
      DEDUPE_TTL_MS,
    ));
  if (!firstDelivery) log.info('redelivered activity, applied already');
  switch (inbound.kind) {
    case 'installed':
      return firstDelivery ? { replies: [{ kind: 'text', text: TEAMS_WELCOME }] } : { replies: [] };
    case 'text':
      return firstDelivery ? planText(inbound.text, input, deps, log) : { replies: [] };
    case 'click':
      return planClick(inbound, firstDelivery, input, deps, log);
  }
}

async function planText(text: string, input: PlanInput, deps: TeamsDeps, log: Logger): Promise<TeamsPlan> {
  const command = readTeamsCommand(text);
  const { engine } = deps;
  switch (command.kind) {
    case 'help':
      return { replies: [{ kind: 'text', text: TEAMS_HELP }] };
    case 'guides':
      return { replies: [{ kind: 'post-card', card: offerTeamsGuides(engine, ''), stepCard: false }] };
    case 'problem':
      return {
        replies: [{ kind: 'post-card', card: offerTeamsGuides(engine, command.text), stepCard: false }],
      };
    case 'start': {
      const named = userText(truncate(oneLine(command.guide), 80));
      const guides = engine.flows.list().map((f) => f.definition);
      const found = matchLabel(guides, command.guide, (g) => ({ id: g.id, label: g.title }));
      if ('none' in found) {
        return {
          replies: [
            { kind: 'text', text: `No guide is called "${named}". Type **guides** to see them all.` },
          ],
        };
      }
      if ('ambiguous' in found) {
        const names = found.ambiguous.map((g) => `\`${g.id}\``).join(', ');
        return { replies: [{ kind: 'text', text: `"${named}" could be ${names}. Which one?` }] };
      }
      const result = await turn(input, deps, log, { type: 'start', flowId: found.match.id });
      if (result.outcome === 'unchanged') return { replies: [{ kind: 'text', text: ALREADY_RUNNING }] };
      return { replies: [{ kind: 'post-card', card: renderStepCard(result.view), stepCard: true }] };
    }
    case 'event': {
      const result = await turn(input, deps, log, command.event);
      if (result.outcome === 'expired' && result.view.conversationId === null) {
        return { replies: [{ kind: 'text', text: NO_GUIDE }] };
      }
      if (result.outcome === 'rejected') {
        return {
          replies: [{ kind: 'text', text: `That does not fit this step: ${result.reason ?? 'not here'}.` }],
        };
      }
      const card = renderStepCard(result.view);
      const shown: TeamsReply = input.stepCardId
        ? { kind: 'update-card', activityId: input.stepCardId, card }
        : { kind: 'post-card', card, stepCard: true };
      return { replies: [shown, ...tickets(result)] };
    }
  }
}

async function planClick(
  inbound: Extract<TeamsInbound, { kind: 'click' }>,
  firstDelivery: boolean,
  input: PlanInput,
  deps: TeamsDeps,
  log: Logger,
): Promise<TeamsPlan> {
  const { action, via, cardActivityId } = inbound;
  if (action.kind === 'unknown') {
    log.warn({ via }, 'card action fixpath cannot read');
    // An invoke must always be answered; a message says it once.
    if (via === 'invoke') return { invoke: messageAnswer(OLD_BUTTON), replies: [] };
    return { replies: firstDelivery ? [{ kind: 'text', text: OLD_BUTTON }] : [] };
  }
  // A redelivery, or the second of a double click on the same card: nothing changes, and an invoke,
  // which must be answered, gets the card as it is now.
  const repeat =
    !firstDelivery ||
    !(await deps.dedupe.claim(clickKey(action, cardActivityId, input.actor), DEDUPE_TTL_MS));
  if (repeat) {
    log.info({ via }, 'repeated click, applied already');
    if (via === 'submit') return { replies: [] };
    // The offer card stays an offer: its guide's card was posted by the first click.
    if (action.event.type === 'start') return { invoke: messageAnswer(ALREADY_RUNNING), replies: [] };
    const shown = await turn(input, deps, log, { type: 'show' });
    return { invoke: cardAnswer(renderStepCard(shown.view)), replies: [] };
  }

  if (action.event.type === 'start') {
    const result = await turn(input, deps, log, action.event, { flowId: action.event.flowId });
    if (result.outcome === 'unchanged') {
      return via === 'invoke'
        ? { invoke: messageAnswer(ALREADY_RUNNING), replies: [] }
        : { replies: [{ kind: 'text', text: ALREADY_RUNNING }] };
    }
    const card = renderStepCard(result.view);
    // "Start again" on the guide's own card (expired, finished) replaces it; a Start on an offer card
    // leaves the offers and posts the guide's card below them.
    if (cardActivityId !== undefined && cardActivityId === input.stepCardId) {
      return replaceClicked(via, cardActivityId, card, []);
    }
    const started = `Started: ${result.view.flow?.title ?? result.view.title}`;
    return {
      ...(via === 'invoke' ? { invoke: messageAnswer(started) } : {}),
      replies: [{ kind: 'post-card', card, stepCard: true }],
    };
  }

  const result = await turn(input, deps, log, action.event, {
    revision: action.revision,
    ...(action.conversationId === '' ? {} : { conversationId: action.conversationId }),
    ...(action.flowId === undefined ? {} : { flowId: action.flowId }),
  });
  if (result.outcome === 'rejected') log.warn({ reason: result.reason }, 'click not accepted by the step');
  const plan = replaceClicked(via, cardActivityId, renderStepCard(result.view), tickets(result));
  // A stale card shows where the conversation is now, but the running guide's card stays the newer one.
  return result.outcome === 'stale' ? { ...plan, stepCardId: undefined } : plan;
}

/** The clicked card swapped for `card`: in the invoke's answer, or by `updateActivity` for a submit. */
function replaceClicked(
  via: 'invoke' | 'submit',
  cardActivityId: string | undefined,
  card: ReturnType<typeof renderStepCard>,
  after: TeamsReply[],
): TeamsPlan {
  const remember = cardActivityId === undefined ? {} : { stepCardId: cardActivityId };
  if (via === 'invoke') return { invoke: cardAnswer(card), replies: after, ...remember };
  const shown: TeamsReply =
    cardActivityId === undefined
      ? { kind: 'post-card', card, stepCard: true }
      : { kind: 'update-card', activityId: cardActivityId, card };
  return { replies: [shown, ...after], ...remember };
}

/** The filed ticket, posted as its own card in the conversation. */
function tickets(result: TurnResult): TeamsReply[] {
  return result.effects.flatMap((effect) =>
    effect.type === 'escalated'
      ? [{ kind: 'post-card', card: renderTicketCard(effect.ticket), stepCard: false } as const]
      : [],
  );
}

function turn(
  input: PlanInput,
  deps: TeamsDeps,
  log: Logger,
  event: ConversationEvent,
  extra: { revision?: number; conversationId?: string; flowId?: string } = {},
): Promise<TurnResult> {
  return runTurn(
    deps.engine,
    { key: input.place.key, event, actor: input.actor, ...extra },
    { log, platform: 'teams', observer: deps.observer },
  );
}

/**
 * One click on one card by one person: the card's message, conversation and revision, the clicker and
 * what the button sends (a form's values included, so a corrected resubmit of a refused form is not a
 * repeat; the message, so Start on a new offer card is not a repeat of Start on an old one).
 */
function clickKey(
  action: Extract<CardAction, { kind: 'event' }>,
  cardActivityId: string | undefined,
  actor: Actor,
): string {
  const what = createHash('sha256')
    .update(JSON.stringify([cardActivityId ?? '', action.conversationId, action.revision, action.event]))
    .digest('base64url')
    .slice(0, 32);
  return `teams:click:${actor.id}:${what}`;
}
