import type { FlowDefinition } from '../flow/flow-schema.ts';

export interface GuideMatch {
  flowId: string;
  title: string;
  summary: string;
  score: number;
}

const STOP_WORDS = new Set(
  'a an and are as at be but by can for from has have how i in is it its keep keeps my of on or our so that the their them then there this to was we when why with you your me not no'.split(
    ' ',
  ),
);

/** Lower-case word stems, so "expiring", "expires" and "expired" meet at "expir". */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    .filter((w) => !STOP_WORDS.has(w))
    .map((w) => w.replace(/(ing|ed|es|s)$/, '').replace(/e$/, ''))
    .filter((w) => w.length > 1);
}

/**
 * Ranks guides for what a person typed: shared words with the guide's symptoms count most, then its
 * title, then its summary; an exact symptom phrase inside the text counts most of all. Simple keyword
 * matching, no model: good enough to offer the right two or three guides.
 */
export function matchGuides(guides: readonly FlowDefinition[], text: string, limit = 3): GuideMatch[] {
  const typed = new Set(words(text));
  const lower = text.toLowerCase();
  const scored = guides.map((guide) => {
    const overlap = (source: string) => words(source).filter((w) => typed.has(w)).length;
    let score = 2 * overlap(guide.title) + overlap(guide.summary);
    for (const symptom of guide.symptoms) {
      score += 3 * overlap(symptom);
      if (lower.includes(symptom.toLowerCase())) score += 10;
    }
    return { flowId: guide.id, title: guide.title, summary: guide.summary, score };
  });
  const top = Math.max(0, ...scored.map((m) => m.score));
  // Far weaker matches than the best are noise, not alternatives.
  return scored
    .filter((m) => m.score > 0 && m.score >= top / 4)
    .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title))
    .slice(0, limit);
}
