// Slack's mrkdwn, drawn as Slack draws it, into DOM nodes (never markup): *bold*, _italic_, ~strike~,
// `code`, ```blocks```, > quotes, <links|labels>, <@mentions>, <!date^…|fallback>, :emoji: and the three
// entities Slack asks senders to escape (&amp; &lt; &gt;). Escaped text stays literal, as in Slack.

import { h } from './dom.js';

/** The emoji fixpath's Slack renderers use, and a few common ones; others show as their :code:. */
const EMOJI = {
  '+1': '👍',
  thumbsup: '👍',
  '-1': '👎',
  bulb: '💡',
  information_source: 'ℹ️',
  warning: '⚠️',
  x: '❌',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  ticket: '🎫',
  pray: '🙏',
  lock: '🔒',
  speech_balloon: '💬',
  white_circle: '⚪',
  large_blue_circle: '🔵',
  large_orange_circle: '🟠',
  red_circle: '🔴',
  tada: '🎉',
  mag: '🔍',
  wrench: '🔧',
  rocket: '🚀',
  eyes: '👀',
};

/** Slack's three entities, undone only when text is finally drawn. */
export function decodeEntities(text) {
  return text.replace(/&(amp|lt|gt);/g, (_, name) => ({ amp: '&', lt: '<', gt: '>' })[name]);
}

/** Plain text as Slack shows a plain_text object: emoji codes drawn when `emoji` is not false. */
export function plainText(text, { emoji = true } = {}) {
  const frag = document.createDocumentFragment();
  if (!emoji) {
    frag.append(text);
    return frag;
  }
  appendEmoji(frag, text);
  return frag;
}

/**
 * A mrkdwn string as a fragment. `verbatim` turns off Slack's automatic linking of bare URLs, as the
 * text object's `verbatim: true` does.
 */
export function mrkdwn(text, { verbatim = false } = {}) {
  const frag = document.createDocumentFragment();
  const parts = text.split(/(```[\s\S]*?```)/);
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      frag.append(h('pre', { class: 'sk-pre' }, decodeEntities(part.slice(3, -3).replace(/^\n/, ''))));
      return;
    }
    appendLines(frag, part, verbatim);
  });
  return frag;
}

/** Lines, with runs of `>` lines gathered into one quote block. */
function appendLines(parent, text, verbatim) {
  const lines = text.split('\n');
  let quote = null;
  lines.forEach((line, i) => {
    const quoted = /^>\s?/.exec(line);
    if (quoted) {
      if (!quote) {
        quote = h('blockquote', { class: 'sk-quote' });
        parent.append(quote);
      } else quote.append(h('br'));
      appendInline(quote, line.slice(quoted[0].length), verbatim);
      return;
    }
    quote = null;
    appendInline(parent, line, verbatim);
    if (i < lines.length - 1 && !/^>/.test(lines[i + 1] ?? '')) parent.append(h('br'));
  });
}

/** Code spans first (their content is literal), then links and mentions, then emphasis. */
function appendInline(parent, text, verbatim) {
  const parts = text.split(/(`[^`\n]+`)/);
  parts.forEach((part, i) => {
    if (i % 2 === 1) parent.append(h('code', { class: 'sk-code' }, decodeEntities(part.slice(1, -1))));
    else appendTokens(parent, part, verbatim);
  });
}

/** `<…>` tokens: links, user and channel mentions, special mentions and dates. */
function appendTokens(parent, text, verbatim) {
  const pattern = /<([^<>\n]+)>/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    appendEmphasis(parent, text.slice(last, match.index), verbatim);
    parent.append(token(match[1]));
    last = match.index + match[0].length;
  }
  appendEmphasis(parent, text.slice(last), verbatim);
}

function token(inner) {
  const [target, label] = splitOnce(inner, '|');
  if (/^@[UW][A-Z0-9]+$/.test(target))
    return h('span', { class: 'sk-mention' }, `@${label ?? target.slice(1)}`);
  if (/^#C[A-Z0-9]+$/.test(target)) return h('span', { class: 'sk-mention' }, `#${label ?? target.slice(1)}`);
  if (target.startsWith('!date^')) return document.createTextNode(decodeEntities(label ?? ''));
  if (/^!(here|channel|everyone)$/.test(target))
    return h('span', { class: 'sk-mention' }, `@${target.slice(1)}`);
  if (/^!subteam\^/.test(target)) return h('span', { class: 'sk-mention' }, `@${label ?? 'group'}`);
  const href = decodeEntities(target);
  if (/^(https?:|mailto:)/i.test(href)) return link(href, decodeEntities(label ?? target));
  return document.createTextNode(decodeEntities(`<${inner}>`));
}

function link(href, text) {
  return h('a', { class: 'sk-link', href, target: '_blank', rel: 'noopener noreferrer' }, text);
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * Slack's emphasis: a marker opens after the start, a space or punctuation, and closes before the end,
 * a space or punctuation, around text that neither starts nor ends with a space.
 */
const EMPHASIS = [
  { mark: '*', tag: 'b' },
  { mark: '_', tag: 'i' },
  { mark: '~', tag: 's' },
];

function appendEmphasis(parent, text, verbatim) {
  if (text === '') return;
  let best = null;
  for (const { mark, tag } of EMPHASIS) {
    const m = `\\${mark}`;
    const re = new RegExp(
      `(^|[\\s(\\[{"'.,;:!?/-])${m}(?=\\S)([^${m}\\n]*?\\S)${m}(?=$|[\\s)\\]}"'.,;:!?/-])`,
    );
    const found = re.exec(text);
    if (found && (best === null || found.index + found[1].length < best.start)) {
      best = {
        start: found.index + found[1].length,
        end: found.index + found[0].length,
        inner: found[2],
        tag,
      };
    }
  }
  if (best === null) {
    appendText(parent, text, verbatim);
    return;
  }
  appendText(parent, text.slice(0, best.start), verbatim);
  const el = h(best.tag);
  appendEmphasis(el, best.inner, verbatim);
  parent.append(el);
  appendEmphasis(parent, text.slice(best.end), verbatim);
}

/** Plain text: entities decoded, emoji drawn, bare URLs linked unless verbatim. */
function appendText(parent, text, verbatim) {
  if (verbatim) {
    appendEmoji(parent, decodeEntities(text));
    return;
  }
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>]+[^\s<>.,;:!?)'"]/g)) {
    appendEmoji(parent, decodeEntities(text.slice(last, match.index)));
    const href = decodeEntities(match[0]);
    parent.append(link(href, href));
    last = match.index + match[0].length;
  }
  appendEmoji(parent, decodeEntities(text.slice(last)));
}

function appendEmoji(parent, text) {
  parent.append(
    text.replace(/:([a-z0-9_+-]+):/g, (code, name) => (Object.hasOwn(EMOJI, name) ? EMOJI[name] : code)),
  );
}
