/**
 * What typed text asks for. The words of the manifest's command list work alone on a line (a user can
 * pick them from the Teams command menu); anything else describes a problem, and guides are offered.
 */
export type TeamsCommand =
  | { kind: 'help' }
  | { kind: 'guides' }
  | { kind: 'start'; guide: string }
  | { kind: 'event'; event: { type: 'back' } | { type: 'restart' } | { type: 'escalate' } }
  | { kind: 'problem'; text: string };

export function readTeamsCommand(text: string): TeamsCommand {
  const line = text.trim();
  const word = line.toLowerCase();
  if (word === 'help' || word === '?') return { kind: 'help' };
  if (word === 'guides' || word === 'start' || word === '') return { kind: 'guides' };
  if (word === 'back' || word === 'restart' || word === 'escalate')
    return { kind: 'event', event: { type: word } };
  if (word === 'start over') return { kind: 'event', event: { type: 'restart' } };
  if (/^i need help( now)?$/.test(word)) return { kind: 'event', event: { type: 'escalate' } };
  const start = /^start\s+(.+)$/i.exec(line);
  if (start?.[1]) return { kind: 'start', guide: start[1].trim() };
  return { kind: 'problem', text: line };
}
