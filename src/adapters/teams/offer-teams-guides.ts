import type { Engine } from '../../runtime/create-engine.ts';
import { matchGuides } from '../../runtime/match-guides.ts';
import { renderGuideOffersCard } from './render-guide-offers-card.ts';
import type { AdaptiveCard } from './render-step-card.ts';
import { FALLBACK_FLOW_ID } from './teams-deps.ts';

/** At most this many guides on one offer card. */
const MAX_OFFERS = 8;

/**
 * The offer card for what someone wrote: the best-matching guides, or every guide for an empty text
 * (`guides`, or a bare @mention). The fallback guide is never matched, only offered as the way out.
 */
export function offerTeamsGuides(engine: Engine, text: string): AdaptiveCard {
  const guides = engine.flows
    .list()
    .map((f) => f.definition)
    .filter((g) => g.id !== FALLBACK_FLOW_ID);
  const shown =
    text.trim() === ''
      ? guides.map((g) => ({ flowId: g.id, title: g.title, summary: g.summary, score: 0 }))
      : matchGuides(guides, text);
  return renderGuideOffersCard(shown.slice(0, MAX_OFFERS), {
    asked: text,
    fallbackFlowId: engine.flows.find(FALLBACK_FLOW_ID) ? FALLBACK_FLOW_ID : undefined,
  });
}
