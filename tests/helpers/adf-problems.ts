import type { AdfNode } from '../../src/escalation/render-ticket-adf.ts';

const BLOCKS = new Set(['paragraph', 'heading', 'panel', 'table', 'orderedList', 'bulletList', 'rule']);
const MARKS = new Set(['strong', 'em', 'code', 'link']);
const PANELS = new Set(['info', 'note', 'warning', 'success', 'error']);

/**
 * The rules of Atlassian Document Format that Jira enforces on what fixpath sends: the nodes it
 * uses, where each may appear, no empty text, marks it knows, `code` combined with nothing but links.
 * Returns every broken rule with where it was broken.
 */
export function adfProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const d = doc as { version?: unknown; type?: unknown; content?: unknown };
  if (d.version !== 1 || d.type !== 'doc' || !Array.isArray(d.content)) return ['not a version 1 doc'];
  const children = (node: AdfNode, at: string): AdfNode[] => {
    if (!Array.isArray(node.content)) {
      problems.push(`${at}: ${node.type} has no content array`);
      return [];
    }
    return node.content;
  };
  const inline = (node: AdfNode, at: string) => {
    if (node.type === 'hardBreak') return;
    if (node.type !== 'text') return void problems.push(`${at}: ${node.type} is not inline`);
    if (typeof node.text !== 'string' || node.text.length === 0) problems.push(`${at}: empty text`);
    const marks = (node.marks ?? []).map((m) => m.type);
    for (const mark of marks) if (!MARKS.has(mark)) problems.push(`${at}: unknown mark ${mark}`);
    if (marks.includes('code') && marks.some((m) => m !== 'code' && m !== 'link'))
      problems.push(`${at}: code mixed`);
  };
  const block = (node: AdfNode, at: string, allowed: Set<string> = BLOCKS) => {
    if (!allowed.has(node.type)) return void problems.push(`${at}: ${node.type} not allowed here`);
    switch (node.type) {
      case 'paragraph':
        for (const [i, child] of (node.content ?? []).entries()) inline(child, `${at}.${i}`);
        return;
      case 'heading': {
        const level = node.attrs?.level;
        if (typeof level !== 'number' || level < 1 || level > 6) problems.push(`${at}: heading level`);
        for (const [i, child] of children(node, at).entries()) inline(child, `${at}.${i}`);
        return;
      }
      case 'panel':
        if (!PANELS.has(String(node.attrs?.panelType))) problems.push(`${at}: panel type`);
        for (const [i, child] of children(node, at).entries())
          block(child, `${at}.${i}`, new Set(['paragraph', 'heading', 'orderedList', 'bulletList']));
        return;
      case 'orderedList':
      case 'bulletList':
        for (const [i, item] of children(node, at).entries()) {
          if (item.type !== 'listItem') problems.push(`${at}.${i}: ${item.type} in a list`);
          const first = children(item, `${at}.${i}`)[0];
          if (first?.type !== 'paragraph') problems.push(`${at}.${i}: a list item starts with a paragraph`);
          for (const [j, child] of (item.content ?? []).entries()) block(child, `${at}.${i}.${j}`);
        }
        return;
      case 'table':
        for (const [i, row] of children(node, at).entries()) {
          if (row.type !== 'tableRow') problems.push(`${at}.${i}: ${row.type} in a table`);
          for (const [j, cell] of children(row, `${at}.${i}`).entries()) {
            if (cell.type !== 'tableHeader' && cell.type !== 'tableCell')
              problems.push(`${at}.${i}.${j}: ${cell.type} in a row`);
            const content = children(cell, `${at}.${i}.${j}`);
            if (content.length === 0) problems.push(`${at}.${i}.${j}: empty cell`);
            for (const [k, child] of content.entries()) block(child, `${at}.${i}.${j}.${k}`);
          }
        }
        return;
      case 'rule':
        if (node.content) problems.push(`${at}: a rule has no content`);
        return;
    }
  };
  for (const [i, node] of (d.content as AdfNode[]).entries()) block(node, `content.${i}`);
  return problems;
}

/** Every text in the document, in order, joined by spaces. */
export function plainText(node: AdfNode | { content?: AdfNode[] }): string {
  const own = 'text' in node && typeof node.text === 'string' ? node.text : '';
  return [own, ...(node.content ?? []).map(plainText)].filter(Boolean).join(' ');
}
