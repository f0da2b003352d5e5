/**
 * Makes text inert in Slack mrkdwn: `<@U123>`, `<!channel>`, `<#C123>` and `<https://…|label>` only work
 * through `<`, `>` and `&`, so escaping those three (as Slack asks) leaves nothing to mention or link.
 * Put the result in a text object with `verbatim: true` so Slack does not auto-link it either.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Code spans (inline or fenced) are left as they are: mrkdwn shows them literally too. */
const CODE = /(```[\s\S]*?```|`[^`\n]+`)/;
const BOLD = /\*\*(?=\S)([\s\S]*?\S)\*\*/g;

/**
 * A guide's inline formatting in mrkdwn: `**bold**` becomes `*bold*`, `code` stays code, and `&`, `<`, `>`
 * are escaped everywhere (guide text is trusted, but a `<` in it must still not start a link).
 */
export function guideMrkdwn(text: string): string {
  return text
    .split(CODE)
    .map((part, i) =>
      i % 2 === 1
        ? escapeMrkdwn(part)
        : escapeMrkdwn(part).replace(BOLD, (_, inner: string) => `*${inner.replace(/\s*\n\s*/g, ' ')}*`),
    )
    .join('');
}

/**
 * Guide text for a plain_text field (titles, buttons, labels, hints), where Slack shows formatting marks
 * literally: the marks go, the words stay.
 */
export function guidePlain(text: string): string {
  return text.replace(/`([^`\n]+)`/g, '$1').replace(BOLD, '$1');
}
