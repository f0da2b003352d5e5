import type { types } from '@slack/bolt';
import type { HistoryItem } from '../../runtime/step-view.ts';
import { mrkdwn, oneLine } from './block-kit-text.ts';
import { escapeMrkdwn, guideMrkdwn } from './escape-mrkdwn.ts';
import { truncate } from './limits.ts';

const MARK = { worked: '✓', did_not_work: '✗', skipped: '⤼' } as const;
const PLAIN = '·';
const SEPARATOR = '  ·  ';
const TITLE_MAX = 80;
const ANSWER_MAX = 100;

/**
 * The answered steps as one compact context line, oldest first: "✓ Fixed time  ·  ✗ Raised the server
 * timeout: Still expires". When they do not fit in `max` characters the newest are kept, after a count of
 * the earlier ones.
 */
export function renderHistory(history: readonly HistoryItem[], max: number): types.ContextBlock | undefined {
  if (history.length === 0) return undefined;
  const items = history.map(historyItem);
  let start = items.length - 1;
  let used = items[start]?.length ?? 0;
  while (start > 0) {
    const item = items[start - 1] ?? '';
    const earlier = start - 1 > 0 ? `… ${start - 1} earlier`.length + SEPARATOR.length : 0;
    if (used + SEPARATOR.length + item.length + earlier > max) break;
    used += SEPARATOR.length + item.length;
    start -= 1;
  }
  const kept = items.slice(start);
  const parts = start > 0 ? [`… ${start} earlier`, ...kept] : kept;
  // A step without an outcome is marked "·", which the separator already draws.
  const line = parts
    .map((part, i) => (i > 0 && part.startsWith(`${PLAIN} `) ? part.slice(2) : part))
    .join(SEPARATOR);
  return { type: 'context', elements: [mrkdwn(truncate(line, max), { verbatim: true })] };
}

/** One answered step: its outcome mark, the step's title (guide text) and the answer (user text). */
function historyItem(item: HistoryItem): string {
  const mark = item.outcome ? MARK[item.outcome] : PLAIN;
  const title = guideMrkdwn(truncate(oneLine(item.title), TITLE_MAX));
  const answer = escapeMrkdwn(truncate(oneLine(item.answer), ANSWER_MAX));
  const joint = /[?:]$/.test(title) ? ' ' : ': ';
  return `${mark} ${title}${joint}${answer}`;
}
