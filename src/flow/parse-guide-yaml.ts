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
  const issues: FlowIssue[] = doc.errors.map((err) =>
    issue(
      err.pos[0],
      `YAML syntax: ${err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
    ),
  );
  visit(doc, {
    Alias(_key, node) {
      issues.push(
        issue(node.range?.[0] ?? 0, 'aliases (*name) are not allowed in a guide: write the value out'),
      );
    },
    Node(_key, node) {
      if (node.anchor) issues.push(issue(node.range?.[0] ?? 0, 'anchors (&name) are not allowed in a guide'));
      if (node.tag)
        issues.push(issue(node.range?.[0] ?? 0, `tags such as ${node.tag} are not allowed in a guide`));
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') {
        issues.push(issue(pair.key.range?.[0] ?? 0, 'merge keys (<<) are not allowed in a guide'));
      }
    },
  });
  if (issues.length === 0 && !isMap(doc.contents)) {
    issues.push({
      file,
      line: 1,
      column: 1,
      path: '',
      message: 'a guide must be a YAML mapping (key: value lines)',
    });
  }
  if (issues.length > 0) return { ok: false, issues };

  return {
    ok: true,
    value: { data: doc.toJS({ maxAliasCount: 0 }), locate: (path, key) => at(offsetOf(doc, path, key)) },
  };
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
