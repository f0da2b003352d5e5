import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import type { FlowIssue, IssuePath } from './flow-issue.ts';

/** Guide files are small; anything larger is a mistake or an attack. */
const MAX_SOURCE_BYTES = 512 * 1024;

export interface ParsedGuideYaml {
  data: unknown;
  /** Where a field path points in the file (the closest existing node). */
  locate(path: IssuePath, key?: string): { line: number; column: number };
}

/**
 * Parses YAML as plain data only. Aliases, anchors, merge keys and explicit tags are refused: a guide
 * never needs them, and they are how hostile YAML expands or executes things.
 */
export function parseGuideYaml(
  source: string,
  file: string,
  /** What the file is, for messages: "a guide" or "the configuration file". */
  what = 'a guide',
): { ok: true; value: ParsedGuideYaml } | { ok: false; issues: FlowIssue[] } {
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const issue = (offset: number, message: string, path = ''): FlowIssue => ({
    file,
    ...at(offset),
    path,
    message,
  });

  if (Buffer.byteLength(source) > MAX_SOURCE_BYTES) {
    return {
      ok: false,
      issues: [{ file, line: 1, column: 1, path: '', message: 'file is larger than 512 KiB' }],
    };
  }
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, merge: false, prettyErrors: false });
  const issues: FlowIssue[] = [];
  const seenLines = new Set<number>();
  for (const err of doc.errors) {
    // One mistake often trips several parser rules at the same place: report it once.
    const { line } = at(err.pos[0]);
    if (seenLines.has(line)) continue;
    seenLines.add(line);
    issues.push(
      issue(err.pos[0], `YAML syntax: ${syntaxMessage(source, err.code, err.pos[0], err.message)}`),
    );
  }
  // Hostile files repeat these by the hundred; the first of each with a count is enough to act on.
  const refused = { alias: [] as number[], anchor: [] as number[] };
  visit(doc, {
    Alias(_key, node) {
      refused.alias.push(node.range?.[0] ?? 0);
    },
    Node(_key, node) {
      const start = node.range?.[0] ?? 0;
      if (node.anchor) refused.anchor.push(Math.max(0, source.lastIndexOf(`&${node.anchor}`, start)));
      if (node.tag) {
        let offset = Math.max(0, source.lastIndexOf('!', start));
        while (offset > 0 && source[offset - 1] === '!') offset--;
        const written = /^!\S*/.exec(source.slice(offset))?.[0] ?? node.tag;
        issues.push(issue(offset, `tags such as ${written} are not allowed in ${what}`));
      }
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') {
        issues.push(issue(pair.key.range?.[0] ?? 0, `merge keys (<<) are not allowed in ${what}`));
      }
    },
  });
  const more = (offsets: number[], things: string) =>
    offsets.length > 1 ? ` (${offsets.length - 1} more ${things} in this file)` : '';
  if (refused.anchor[0] !== undefined) {
    issues.push(
      issue(
        refused.anchor[0],
        `anchors (&name) are not allowed in ${what}${more(refused.anchor, 'anchors')}`,
      ),
    );
  }
  if (refused.alias[0] !== undefined) {
    issues.push(
      issue(
        refused.alias[0],
        `aliases (*name) are not allowed in ${what}: write the value out${more(refused.alias, 'aliases')}`,
      ),
    );
  }
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  if (issues.length === 0 && !isMap(doc.contents)) {
    issues.push({
      file,
      line: 1,
      column: 1,
      path: '',
      message: `${what} must be a YAML mapping (key: value lines)`,
    });
  }
  if (issues.length > 0) return { ok: false, issues };

  return {
    ok: true,
    value: { data: doc.toJS({ maxAliasCount: 0 }), locate: (path, key) => at(offsetOf(doc, path, key)) },
  };
}

function syntaxMessage(source: string, code: string, offset: number, message: string): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^:\n]*/.exec(source.slice(offset))?.[0].trim() ?? '';
    return `duplicate key \`${key}\` in the same mapping`;
  }
  if (/compact mappings/i.test(message)) {
    return 'a value containing ": " must be in quotes, or this line and the next are indented differently';
  }
  if (code === 'BAD_INDENT' || /indent|single line/i.test(message)) {
    return `${firstLine(message)} (check the indentation of this line and the one after it)`;
  }
  return firstLine(message);
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** The offset of the deepest node on `path` (or of `key` inside it), so errors point at the right line. */
function offsetOf(doc: Document, path: IssuePath, key?: string): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const part of key === undefined ? path : [...path, key]) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === part);
      if (!pair) break;
      const keyNode = pair.key as Node;
      const valueNode = pair.value as Node | null;
      if (part === key) return keyNode.range?.[0] ?? offset;
      offset = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}
