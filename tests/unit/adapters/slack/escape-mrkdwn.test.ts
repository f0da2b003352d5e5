import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, guideMrkdwn, guidePlain } from '../../../../src/adapters/slack/escape-mrkdwn.ts';

/** What Slack would turn into a mention, a broadcast or a link: `<` followed by `@`, `!`, `#` or a URL. */
const LIVE = /<[@!#]|<https?:|<mailto:/;

describe('escapeMrkdwn', () => {
  it.each([
    ['a user mention', '<@U123>', '&lt;@U123&gt;'],
    ['a broadcast', '<!channel> and <!here>', '&lt;!channel&gt; and &lt;!here&gt;'],
    ['a user group', '<!subteam^S123|@oncall>', '&lt;!subteam^S123|@oncall&gt;'],
    ['a channel link', '<#C123|general>', '&lt;#C123|general&gt;'],
    ['a disguised link', '<https://evil.example|click here>', '&lt;https://evil.example|click here&gt;'],
    ['an ampersand', 'R&D & QA', 'R&amp;D &amp; QA'],
    ['an entity typed on purpose', '&lt;@U123&gt;', '&amp;lt;@U123&amp;gt;'],
  ])('makes %s inert', (_, typed, escaped) => {
    expect(escapeMrkdwn(typed)).toBe(escaped);
    expect(escapeMrkdwn(typed)).not.toMatch(LIVE);
  });

  it('leaves ordinary text alone', () => {
    expect(escapeMrkdwn('Raised the timeout to 30m; still expires.')).toBe(
      'Raised the timeout to 30m; still expires.',
    );
  });
});

describe('guideMrkdwn', () => {
  it('turns **bold** into mrkdwn bold', () => {
    expect(guideMrkdwn('Tick **Preserve log**, then reload.')).toBe('Tick *Preserve log*, then reload.');
  });

  it('keeps code spans as code and does not turn their asterisks into bold', () => {
    expect(guideMrkdwn('Never send `Access-Control-Allow-Origin: *` with **credentials**.')).toBe(
      'Never send `Access-Control-Allow-Origin: *` with *credentials*.',
    );
    expect(guideMrkdwn('Run `a **b** c` as is')).toBe('Run `a **b** c` as is');
  });

  it('joins a bold phrase that a folded line broke in two', () => {
    expect(guideMrkdwn('Its **Expires /\nMax-Age** column')).toBe('Its *Expires / Max-Age* column');
  });

  it('escapes <, > and & in guide text and in its code spans', () => {
    expect(guideMrkdwn('curl -i `<api url>` -H "A & B" <@U123>')).toBe(
      'curl -i `&lt;api url&gt;` -H "A &amp; B" &lt;@U123&gt;',
    );
  });
});

describe('guidePlain', () => {
  it('drops the formatting marks for plain_text fields', () => {
    expect(guidePlain('Send `Vary: Origin` and **restart**')).toBe('Send Vary: Origin and restart');
  });
});
