import { ActivityTypes, type ConversationReference, TurnContext } from 'botbuilder';
import { isFixpathError } from '../../errors.ts';
import type { Actor } from '../../machine/flow-context.ts';
import { planTeamsReplies } from './plan-teams-replies.ts';
import { readTeamsActivity } from './read-teams-activity.ts';
import { rememberTeamsChannel, seenTeamsChannel } from './remember-teams-channel.ts';
import { teamsPlace } from './teams-conversation-key.ts';
import type { TeamsDelivery } from './teams-delivery.ts';
import type { TeamsDeps } from './teams-deps.ts';
import { loadReference, updateReference } from './teams-reference-store.ts';
import { errorAnswer, type TeamsPlan } from './teams-reply.ts';

const UNAVAILABLE = 'fixpath is temporarily unavailable, so nothing changed. Please try again in a moment.';
const FAILED = 'Something went wrong on our side; nothing changed.';

/**
 * One activity from Teams, inside botbuilder's turn: normalise it, plan the turn, remember where the
 * conversation is, answer an invoke with its card, and queue everything else to be sent once Teams has
 * its answer. Never throws: failures are logged and answered politely.
 */
export async function handleTeamsTurn(
  context: TurnContext,
  deps: TeamsDeps,
  delivery: TeamsDelivery,
): Promise<void> {
  const { activity } = context;
  await rememberChannel(activity, deps);
  const inbound = readTeamsActivity(activity);
  const place = teamsPlace(activity);
  if (inbound.kind === 'ignored' || inbound.kind === 'other-invoke' || !place) return;
  const log = deps.logger.child({
    platform: 'teams',
    conversationKey: place.key,
    activityId: activity.id,
    activity: inbound.kind,
  });
  // Saved on every turn, so replies after the ack and later news (`notify`) know where to go.
  const reference: Partial<ConversationReference> = {
    ...TurnContext.getConversationReference(activity),
    conversation: { ...activity.conversation, id: place.conversationId },
  };

  let plan: TeamsPlan;
  try {
    const stored = await loadReference(deps.references, place.key);
    plan = await planTeamsReplies(
      {
        inbound,
        place,
        actor: actorOf(activity.from),
        activityId: activity.id,
        stepCardId: stored?.cardActivityId ?? null,
      },
      deps,
      log,
    );
  } catch (err) {
    log.error({ err }, 'Teams activity failed');
    const text = isFixpathError(err, 'store_unavailable') ? UNAVAILABLE : FAILED;
    plan =
      inbound.kind === 'click' && inbound.via === 'invoke'
        ? { invoke: errorAnswer(500, 'fixpath_failed', text), replies: [] }
        : { replies: [{ kind: 'text', text }] };
  }

  try {
    await updateReference(deps.references, place.key, (current) => ({
      reference,
      cardActivityId: plan.stepCardId ?? current?.cardActivityId ?? null,
    }));
  } catch (err) {
    log.warn({ err }, 'cannot store the Teams conversation reference');
  }
  if (plan.invoke) {
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: { status: 200, body: plan.invoke },
    });
  }
  if (plan.replies.length > 0) delivery.enqueue(place.key, reference, plan.replies);
}

/** Any activity in a channel, even one fixpath ignores, tells where the channel is for proactive posts. */
async function rememberChannel(activity: TurnContext['activity'], deps: TeamsDeps): Promise<void> {
  const seen = seenTeamsChannel(activity, Date.now());
  if (!seen) return;
  try {
    await rememberTeamsChannel(deps.references, seen);
  } catch (err) {
    deps.logger.warn(
      { err, platform: 'teams', channelId: seen.channelId },
      'cannot store the Teams channel reference',
    );
  }
}

function actorOf(from: { id: string; name?: string; aadObjectId?: string } | undefined): Actor {
  if (!from) return { id: 'unknown' };
  return { id: from.aadObjectId ?? from.id, ...(from.name ? { name: from.name } : {}) };
}
