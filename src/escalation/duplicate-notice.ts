import type { DuplicateMatch } from './find-duplicate.ts';

/**
 * What the person is told when their escalation was added to an open ticket instead of filing a new
 * one. It names the matching values they typed themselves, never who else reported the problem.
 */
export function duplicateNotice(match: DuplicateMatch, now: number): string {
  const ago = describeAgo(now - match.createdAt);
  if (match.reason === 'same_reporter') {
    return `You escalated this guide ${ago}, and that ticket is still open, so these details are added to it instead of filing a second ticket. You will get its link here.`;
  }
  const values = match.fields.map((f) => `${f.label}: ${oneLine(f.value)}`).join('; ');
  return `The same problem (${values}) was escalated ${ago} and is still open, so these details are added to that ticket instead of filing a new one. You will get its link here.`;
}

function describeAgo(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'a moment ago';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'} ago`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59).trimEnd()}…` : line;
}
