import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDefinition, Step } from '../../src/flow/flow-schema.ts';
import { loadFlowFiles } from '../../src/flow/load-flow-files.ts';
import { stepTargets } from '../../src/flow/step-targets.ts';
import { mermaidIds, toMermaid } from '../../src/flow/to-mermaid.ts';
import { launchChromium, requireChromium } from '../helpers/chromium.ts';

const mermaidBundle = fileURLToPath(import.meta.resolve('mermaid/dist/mermaid.min.js'));
const { flows, issues } = await loadFlowFiles([fileURLToPath(new URL('../../flows', import.meta.url))]);

/** What the browser reports back about one rendered diagram. */
interface Rendered {
  diagramType: string;
  svgStart: string;
  roleDescription: string | null;
  viewBox: string | null;
  xmlErrors: number;
  errorIcons: number;
  nodes: Array<{ id: string; className: string; style: string; text: string }>;
  edgeLabels: string[];
}

/** Renders `text` with the Mermaid bundle already loaded into `page`; Mermaid errors reject. */
function render(page: Page, text: string): Promise<Rendered> {
  return page.evaluate(async (text) => {
    interface El {
      id: string;
      textContent: string | null;
      getAttribute(name: string): string | null;
      querySelector(selector: string): El | null;
      querySelectorAll(selector: string): Iterable<El>;
    }
    const browser = globalThis as unknown as {
      mermaid: {
        initialize(config: object): void;
        parse(text: string): Promise<{ diagramType: string }>;
        render(id: string, text: string): Promise<{ svg: string }>;
      };
      DOMParser: new () => { parseFromString(source: string, type: string): { documentElement: El } };
    };
    const { mermaid } = browser;
    mermaid.initialize({ startOnLoad: false });
    const { diagramType } = await mermaid.parse(text);
    const { svg } = await mermaid.render('g', text);
    const root = new browser.DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
    const all = (selector: string) => [...root.querySelectorAll(selector)];
    return {
      diagramType,
      svgStart: svg.slice(0, 4),
      roleDescription: root.getAttribute('aria-roledescription'),
      viewBox: root.getAttribute('viewBox'),
      xmlErrors: all('parsererror').length,
      errorIcons: all('.error-icon').length,
      nodes: all('g.node').map((node) => ({
        id: node.id,
        className: node.getAttribute('class') ?? '',
        style: node.querySelector('rect, path')?.getAttribute('style') ?? '',
        text: node.textContent ?? '',
      })),
      edgeLabels: all('g.edgeLabel')
        .map((label) => label.textContent ?? '')
        .filter((label) => label.trim() !== ''),
    };
  }, text);
}

/** The words of a text, so punctuation toMermaid rewrites (quotes, colons, hashes) does not matter. */
const words = (value: string) => (value.match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
const nodeOf = (rendered: Rendered, definition: FlowDefinition, step: Step) =>
  rendered.nodes.filter((node) =>
    new RegExp(`^g-state-${mermaidIds(definition).get(step.id)}-\\d+$`).test(node.id),
  );

/** The step a conversation is on: a fix step if there is one (it already has a class to override). */
const currentStepOf = (definition: FlowDefinition) =>
  definition.steps.find((step) => step.type === 'fix') ??
  definition.steps.find((step) => step.type !== 'branch') ??
  definition.steps[0];

function expectRenderedDiagram(rendered: Rendered, definition: FlowDefinition) {
  expect(rendered.diagramType).toBe('stateDiagram');
  expect(rendered.svgStart).toBe('<svg');
  expect(rendered.roleDescription).toBe('stateDiagram');
  expect(rendered.xmlErrors).toBe(0);
  expect(rendered.errorIcons).toBe(0);
  const [, , width = 0, height = 0] = (rendered.viewBox ?? '').split(/\s+/).map(Number);
  expect(width).toBeGreaterThan(0);
  expect(height).toBeGreaterThan(0);

  // One state per step (two step ids must not collapse into one Mermaid state), titled with the step title.
  const stepNodes = rendered.nodes.filter((node) => node.id.startsWith('g-state-s_'));
  expect(stepNodes).toHaveLength(definition.steps.length);
  for (const step of definition.steps) {
    const matches = nodeOf(rendered, definition, step);
    expect(matches, `state of step ${step.id}`).toHaveLength(1);
    // Branch steps are drawn as <<choice>> diamonds, which carry no text.
    if (step.type !== 'branch')
      expect(words(matches[0]?.text ?? ''), `title of step ${step.id}`).toBe(words(step.title));
  }

  // Every way out of a step is an arrow with its answer label.
  const expectedLabels = definition.steps
    .flatMap((step) => stepTargets(step))
    .filter((target) => target.next !== undefined)
    .map((target) => words(target.label));
  expect(rendered.edgeLabels.map(words).sort()).toEqual(expectedLabels.sort());
}

let browser: Browser | undefined;
let page: Page | undefined;

/**
 * The page with Mermaid loaded. Without Chromium the test skips, except in CI (`CI=true`), where a missing
 * browser is a broken environment and the test fails.
 */
function mermaidPage(skip: (condition: boolean, note?: string) => void): Page {
  requireChromium(skip);
  if (page === undefined) throw new Error('Chromium did not start (see the beforeAll error)');
  return page;
}

describe('fixpath graph output rendered by Mermaid in Chromium', () => {
  beforeAll(async () => {
    // Without a browser every rendering test skips, or fails in CI (see mermaidPage).
    browser = await launchChromium();
    if (!browser) return;
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: mermaidBundle });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads every guide in flows/ without issues, so none is left out of the rendering checks', () => {
    expect(issues).toEqual([]);
    expect(flows.length).toBeGreaterThan(0);
  });

  for (const { definition } of flows) {
    it(`draws the ${definition.id} guide with every step title and answer label, and highlights the current step`, async ({
      skip,
    }) => {
      const page = mermaidPage(skip);

      expectRenderedDiagram(await render(page, toMermaid(definition)), definition);

      const current = currentStepOf(definition);
      if (current === undefined) throw new Error(`${definition.id} has no steps`);
      const highlighted = await render(page, toMermaid(definition, { current: current.id }));
      expectRenderedDiagram(highlighted, definition);
      const [node] = nodeOf(highlighted, definition, current);
      expect(node?.className.split(/\s+/)).toContain('current');
      expect(node?.style).toContain('stroke:#f97316');
      const others = highlighted.nodes.filter((other) => other !== node);
      expect(others.filter((other) => other.className.split(/\s+/).includes('current'))).toEqual([]);
    });
  }
});
