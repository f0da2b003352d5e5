/**
 * Makes user text inert in Markdown: no formatting, links, HTML or @-mentions sneak into a ticket.
 * Newlines become spaces when the text goes into a table cell or a list item.
 */
export function escapeMarkdown(text: string, { inline = true }: { inline?: boolean } = {}): string {
  const escaped = text
    .replace(/[\\`*_[\]<>|#~!]/g, (c) => `\\${c}`)
    .replace(/@(?=\w)/g, '&#64;')
    .replace(/^(\s*)([-+]|\d+\.)(\s)/gm, '$1\\$2$3');
  return inline ? escaped.replace(/\s*\r?\n\s*/g, ' ') : escaped;
}
