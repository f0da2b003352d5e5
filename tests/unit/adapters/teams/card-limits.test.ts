import { describe, expect, it } from 'vitest';
import { CARD_DETAIL, fitCard, jsonBytes, truncate } from '../../../../src/adapters/teams/card-limits.ts';
import { guideText, userText } from '../../../../src/adapters/teams/card-text.ts';

describe('fitting a card to the budget', () => {
  it('takes the most detailed level that fits', () => {
    const drawn: number[] = [];
    const card = fitCard((detail) => {
      drawn.push(detail.textChars);
      return { text: 'x'.repeat(detail.textChars) };
    }, 1_000);
    expect(jsonBytes(card)).toBeLessThanOrEqual(1_000);
    expect(drawn).toEqual(CARD_DETAIL.map((d) => d.textChars).filter((chars) => chars >= card.text.length));
  });

  it('falls back to the least detailed level when none fits', () => {
    const card = fitCard((detail) => ({ text: 'x'.repeat(detail.textChars) }), 10);
    expect(card.text).toHaveLength(CARD_DETAIL.at(-1)?.textChars ?? -1);
  });

  it('orders the levels from most to least detailed', () => {
    for (const [i, detail] of CARD_DETAIL.entries()) {
      const next = CARD_DETAIL[i + 1];
      if (!next) continue;
      expect(next.textChars).toBeLessThan(detail.textChars);
      expect(next.historyItems).toBeLessThanOrEqual(detail.historyItems);
      expect(next.errorChars).toBeLessThanOrEqual(detail.errorChars);
    }
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(jsonBytes('✓')).toBe(5);
  });
});

describe('cutting text', () => {
  it('leaves short text alone', () => {
    expect(truncate('Did it work?', 12)).toBe('Did it work?');
  });

  it('cuts at a word near the end and marks the cut', () => {
    expect(truncate('The session expires after thirty minutes', 30)).toBe('The session expires after…');
    expect(truncate('abcdefghijklmnopqrstuvwxyz', 10)).toBe('abcdefghi…');
  });

  it('never splits an emoji', () => {
    const cut = truncate('✓✓✓🔥🔥🔥', 5);
    expect(Array.from(cut)).toHaveLength(5);
    expect(cut).toBe('✓✓✓🔥…');
  });
});

describe('card text', () => {
  it('escapes what users type so it cannot link, emphasise or mention', () => {
    expect(userText('[x](http://e) <at>Bo</at> *a* _b_ \\')).toBe(
      '\\[x\\](http://e) \\<at\\>Bo\\</at\\> \\*a\\* \\_b\\_ \\\\',
    );
    expect(userText('two\nlines')).toBe('two lines');
    expect(userText('two\nlines', { inline: false })).toBe('two\nlines');
  });

  it('turns a guide’s single line breaks into paragraph breaks Teams shows', () => {
    expect(guideText('one\ntwo\n\nthree')).toBe('one\n\ntwo\n\nthree');
    // Code spans lose their backticks, and their underscores cannot turn into emphasis.
    expect(guideText('Set `session.gc_maxlifetime` and `SESSION_COOKIE_AGE`.')).toBe(
      'Set session.gc\\_maxlifetime and SESSION\\_COOKIE\\_AGE.',
    );
  });
});
