/**
 * What Slack accepts in a message or a modal (Block Kit reference and `@slack/types`). Anything past these
 * is refused with `invalid_blocks`, `msg_blocks_too_long` or a view error, so the renderers clamp to them
 * and `block-kit-schema.ts` checks their output against the same table.
 */
export const SLACK_LIMITS = {
  /** Blocks in one message; a modal or Home tab takes more. */
  messageBlocks: 50,
  modalBlocks: 100,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  blockId: 255,
  actionId: 255,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  selectOptions: 100,
  radioOptions: 10,
  optionText: 75,
  /** Sources disagree (75 or 150): the lower one. */
  optionValue: 75,
  optionDescription: 75,
  placeholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  inputLabel: 2000,
  inputHint: 2000,
  textInputLength: 3000,
  modalTitle: 24,
  modalSubmit: 24,
  modalClose: 24,
  callbackId: 255,
  privateMetadata: 3000,
  /** The whole view as JSON, in bytes. */
  modalBytes: 250_000,
  /** The notification fallback `text` of a message. */
  messageText: 40_000,
  /**
   * All text in a message's blocks. Undocumented: Slack answers `msg_blocks_too_long` from about 13,200
   * characters (slackapi/bolt-js#2509), so fixpath stays under 12,000.
   */
  totalText: 12_000,
} as const;

/**
 * Cuts text to at most `max` characters, at a word boundary when one is near, ending with '…'. Never
 * splits a surrogate pair or an `&amp;`-style entity, so the result stays valid mrkdwn when the input was.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return '…';
  let cut = max - 1;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  let head = text.slice(0, cut);
  const space = head.search(/\s\S*$/);
  if (space >= Math.floor(cut * 0.6)) head = head.slice(0, space);
  head = head.replace(/&[a-z]{0,4}$/, '').trimEnd();
  return `${head}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
