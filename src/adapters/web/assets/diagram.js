// The guide's diagram: the Mermaid text `fixpath graph` prints (with the current step highlighted),
// drawn by Mermaid in strict mode. Its SVG is parsed as XML and cleaned of scripts, event handlers and
// outside links before it joins the page.

const MIN_SCALE = 0.7;
let ready = false;
let sequence = 0;

function mermaid() {
  const lib = globalThis.mermaid;
  if (!lib) return null;
  if (!ready) {
    lib.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: 'base',
      fontFamily: 'inherit',
      themeVariables: {
        fontSize: '13px',
        primaryColor: '#f8fafc',
        primaryBorderColor: '#94a3b8',
        lineColor: '#94a3b8',
        textColor: '#1e293b',
      },
      state: { useMaxWidth: false },
    });
    ready = true;
  }
  return lib;
}

/**
 * Draws `text` into `container` at a readable size (never below 70% of Mermaid's own, or the width of
 * the container when the diagram is smaller); resolves to the SVG element, or null without Mermaid.
 */
export async function renderDiagram(container, text) {
  const lib = mermaid();
  if (!lib) {
    container.replaceChildren(
      document.createTextNode('Mermaid did not load, so the diagram cannot be drawn.'),
    );
    return null;
  }
  sequence += 1;
  const { svg } = await lib.render(`fp-graph-${sequence}`, text);
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.nodeName !== 'svg' || doc.querySelector('parsererror')) throw new Error('Mermaid returned no SVG');
  clean(root);
  const node = document.importNode(root, true);
  const [, , width = 0] = (node.getAttribute('viewBox') ?? '').split(/\s+/).map(Number);
  node.removeAttribute('height');
  node.removeAttribute('width');
  node.classList.add('fp-diagram-svg');
  container.replaceChildren(node);
  const room = container.clientWidth - 16;
  if (width > 0) node.style.width = `${Math.round(Math.max(width * MIN_SCALE, Math.min(width, room)))}px`;
  return node;
}

/** Removes what could run or load anything: scripts, foreign objects' iframes, on* handlers, outside hrefs. */
function clean(root) {
  for (const el of root.querySelectorAll('script, iframe, object, embed')) el.remove();
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith('on')) el.removeAttribute(attr.name);
      else if ((name === 'href' || name === 'xlink:href') && !value.startsWith('#'))
        el.removeAttribute(attr.name);
    }
  }
}

/** The drawn node of the highlighted step (Mermaid gives it the `current` class), if any. */
export function currentNode(svg) {
  return svg?.querySelector('g.node.current') ?? null;
}
