// The Markdown subset Teams reads in Adaptive Card text (bold, italic, bulleted and numbered lists,
// links, backslash escapes), for the card renderer's markdown hook. The result is built as DOM nodes
// with text set as text, then serialised: whatever the text holds, the HTML handed to the renderer has
// no markup but <p>, <ul>, <ol>, <li>, <strong>, <em> and <a href="http(s)|mailto">.

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!<>]/;
const LIST_ITEM = /^\s*(?:([-*+•])|(\d{1,9})[.)])\s+(.*)$/;

/** Markdown text → HTML for `AdaptiveCard.onProcessMarkdown`. */
export function teamsMarkdownToHtml(text) {
  const root = document.createElement('div');
  for (const block of blocks(text)) root.append(block);
  return root.innerHTML;
}

/** Paragraphs split on blank lines; runs of list lines become one list. */
function blocks(text) {
  const out = [];
  let paragraph = [];
  let list = null;
  const flush = () => {
    if (paragraph.length > 0) {
      const p = document.createElement('p');
      inline(p, paragraph.join(' '));
      out.push(p);
    }
    paragraph = [];
  };
  for (const line of String(text).split(/\r\n|\r|\n/)) {
    const item = LIST_ITEM.exec(line);
    if (item) {
      flush();
      const tag = item[2] === undefined ? 'ul' : 'ol';
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = document.createElement(tag);
        if (tag === 'ol' && item[2] !== '1') list.setAttribute('start', String(Number(item[2])));
        out.push(list);
      }
      const li = document.createElement('li');
      inline(li, item[3]);
      list.append(li);
      continue;
    }
    list = null;
    if (line.trim() === '') flush();
    else paragraph.push(line.trim());
  }
  flush();
  return out;
}

/** Emphasis, links and escapes inside one block. */
function inline(parent, text) {
  let buffer = '';
  const flush = () => {
    if (buffer) parent.append(document.createTextNode(buffer));
    buffer = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && ESCAPABLE.test(text[i + 1] ?? '')) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (text.startsWith('**', i) || text.startsWith('__', i)) {
      const marker = text.slice(i, i + 2);
      const end = closing(text, i + 2, marker);
      if (end > i + 2) {
        flush();
        const strong = document.createElement('strong');
        inline(strong, text.slice(i + 2, end));
        parent.append(strong);
        i = end + 2;
        continue;
      }
    }
    if ((c === '*' || c === '_') && opens(text, i)) {
      const end = closing(text, i + 1, c);
      if (end > i + 1 && closes(text, end, c)) {
        flush();
        const em = document.createElement('em');
        inline(em, text.slice(i + 1, end));
        parent.append(em);
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const link = readLink(text, i);
      if (link) {
        flush();
        const a = document.createElement('a');
        a.setAttribute('href', link.href);
        a.setAttribute('target', '_blank');
        a.setAttribute('rel', 'noopener noreferrer');
        inline(a, link.label);
        parent.append(a);
        i = link.end;
        continue;
      }
    }
    buffer += c;
    i += 1;
  }
  flush();
}

/** Where `marker` next appears unescaped from `from`, or -1. */
function closing(text, from, marker) {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') {
      i += 1;
      continue;
    }
    if (text.startsWith(marker, i) && !(marker.length === 1 && text[i + 1] === marker)) return i;
  }
  return -1;
}

/** A single `*` or `_` opens emphasis before a non-space; `_` not inside a word. */
function opens(text, i) {
  const next = text[i + 1] ?? '';
  if (next === '' || /\s/.test(next)) return false;
  return text[i] === '*' || !/[\p{L}\p{N}]/u.test(text[i - 1] ?? '');
}

function closes(text, i, marker) {
  if (/\s/.test(text[i - 1] ?? ' ')) return false;
  return marker === '*' || !/[\p{L}\p{N}]/u.test(text[i + 1] ?? '');
}

/** `[label](url)` with an http(s) or mailto url; anything else stays text. */
function readLink(text, start) {
  const labelEnd = closing(text, start + 1, ']');
  if (labelEnd < 0 || text[labelEnd + 1] !== '(') return null;
  const urlEnd = text.indexOf(')', labelEnd + 2);
  if (urlEnd < 0) return null;
  const href = text.slice(labelEnd + 2, urlEnd).trim();
  if (!/^(https?:\/\/|mailto:)[^\s]+$/i.test(href)) return null;
  return { label: text.slice(start + 1, labelEnd), href, end: urlEnd + 1 };
}
