import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;

import { matchGuides } from '../../runtime/match-guides.ts';
import { guideOffersMessage } from './guide-offers-message.ts';
import { FALLBACK_FLOW_ID, type SlackDeps } from './slack-deps.ts';

export interface OfferRequest {
  channel: string;
  /** The thread the guide will run in (the message that asked); none for a slash command, whose offers start one. */
  threadTs: string | undefined;
  text: string;
  /** Who asked, named in offers that start a thread of their own. */
  userId?: string;
}

/** Replies in the thread with the guides that best match what was written. */
export async function offerGuides(deps: SlackDeps, client: WebClient, request: OfferRequest): Promise<void> {
  const guides = deps.engine.flows.list().map((f) => f.definition);
  const matches = matchGuides(
    guides.filter((g) => g.id !== FALLBACK_FLOW_ID),
    request.text,
  );
  const shown =
    request.text.trim() === '' ? guides.filter((g) => g.id !== FALLBACK_FLOW_ID).map(toMatch) : matches;
  const fallbackFlowId = deps.engine.flows.find(FALLBACK_FLOW_ID) ? FALLBACK_FLOW_ID : undefined;
  const message = guideOffersMessage(shown.slice(0, 8), {
    asked: request.text,
    fallbackFlowId,
    ...(request.threadTs === undefined && request.userId ? { askedBy: request.userId } : {}),
  });
  await client.chat.postMessage({
    channel: request.channel,
    ...(request.threadTs === undefined ? {} : { thread_ts: request.threadTs }),
    ...message,
  });
}

function toMatch(guide: { id: string; title: string; summary: string }) {
  return { flowId: guide.id, title: guide.title, summary: guide.summary, score: 0 };
}
