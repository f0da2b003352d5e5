/**
 * Text for Adaptive Card TextBlocks and facts, which Teams reads as a Markdown subset (bold, italic,
 * lists, links) and scans for `<at>` mentions. Guide text is trusted and keeps its Markdown; whatever a
 * user typed is made inert, so an answer cannot become a link, emphasis or a mention.
 */

/**
 * User text made inert: the characters of emphasis, links and mentions (`\ * _ [ ] < >`) are
 * backslash-escaped, and line breaks become spaces unless `inline` is false.
 */
export function userText(text: string, { inline = true }: { inline?: boolean } = {}): string {
  const flat = inline ? text.replace(/\s*\r?\n\s*/g, ' ') : text;
  return flat.replace(/[\\*_[\]<>]/g, (c) => `\\${c}`);
}

/**
 * Guide text as a TextBlock shows it: Teams only breaks lines on a blank line (outside lists), so the
 * single line breaks an author wrote become paragraph breaks; code spans become plain text.
 */
export function guideText(text: string): string {
  return codeSpans(text.replace(/\r\n?/g, '\n').replace(/([^\n])\n(?=[^\n])/g, '$1\n\n'));
}

/**
 * Teams shows no code spans: a guide's `cookie.maxAge` would appear with its backticks. The span's
 * text is kept, with the characters Markdown would read in it (`session_id`'s underscores) escaped.
 */
export function codeSpans(text: string): string {
  return text.replace(/`([^`\n]+)`/g, (_, code: string) => code.replace(/[\\*_[\]<>]/g, (c) => `\\${c}`));
}
