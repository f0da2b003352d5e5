import { describe, expect, it } from 'vitest';
import { countBlockText, shrinkToFit, splitText } from '../../../../src/adapters/slack/block-kit-text.ts';
import { truncate } from '../../../../src/adapters/slack/limits.ts';

describe('truncate', () => {
  it('returns text that fits unchanged', () => {
    expect(truncate('Did it work?', 12)).toBe('Did it work?');
  });

  it('cuts at a word boundary and ends with an ellipsis, within the limit', () => {
    const cut = truncate('Raised the server timeout and it still expires', 24);
    expect(cut).toBe('Raised the server…');
    expect(cut.length).toBeLessThanOrEqual(24);
  });

  it('cuts inside a word only when there is no space near the end', () => {
    expect(truncate('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('never leaves half an entity or half a surrogate pair', () => {
    expect(truncate('a &amp; b', 5)).toBe('a…');
    expect(truncate('abc&amp;def', 6)).toBe('abc…');
    const emoji = truncate(`abcd${'😀'.repeat(5)}`, 6);
    expect(emoji).toBe('abcd…');
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('handles limits too small for any text', () => {
    expect(truncate('hello', 1)).toBe('…');
    expect(truncate('hello', 0)).toBe('');
  });
});

describe('splitText', () => {
  it('splits long text into pieces within the limit, at paragraph, line or word breaks, losing no words', () => {
    const text = Array.from(
      { length: 30 },
      (_, i) => `Paragraph ${i}: ${'some words here '.repeat(20).trim()}.`,
    ).join('\n\n');
    const pieces = splitText(text, 1000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(1000);
    expect(pieces.join(' ').split(/\s+/)).toEqual(text.split(/\s+/));
    expect(pieces.every((p) => p.startsWith('Paragraph'))).toBe(true);
  });

  it('cuts text without spaces hard, still within the limit', () => {
    const pieces = splitText('y'.repeat(2500), 1000);
    expect(pieces.map((p) => p.length)).toEqual([1000, 1000, 500]);
  });
});

describe('shrinkToFit', () => {
  const section = (n: number) => ({ type: 'section', text: { type: 'mrkdwn', text: 'w '.repeat(n).trim() } });
  const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } };

  it('cuts the longest texts until the blocks hold no more than the limit, leaving headers alone', () => {
    const blocks = shrinkToFit([header, section(3000), section(200), section(2000)], 4000);
    expect(countBlockText(blocks)).toBeLessThanOrEqual(4000);
    expect(blocks[0]).toEqual(header);
    expect(blocks[2]).toEqual(section(200));
  });

  it('changes nothing when the blocks already fit', () => {
    const blocks = [section(100), section(100)];
    expect(shrinkToFit(structuredClone(blocks), 1000)).toEqual(blocks);
  });
});
