// The web playground in a real browser (Debian's Chromium, driven by playwright-core): a person picks
// the session-expiry guide and clicks through it on the Teams card (drawn by the official Adaptive Cards
// renderer) and the Slack preview in turn, with the diagram following along, to an escalation and to a
// resolution. Screenshots of both end states are saved under test-results/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, requireChromium } from '../helpers/chromium.ts';
import { ROOT } from '../helpers/guides.ts';
import { startPlayground } from '../helpers/web-playground.ts';

const SCREENSHOTS = join(ROOT, 'test-results');

let playground: Awaited<ReturnType<typeof startPlayground>>;
let browser: Browser | undefined;
let page: Page | undefined;
/** Problems the page reported: uncaught errors and console errors fail the test that caused them. */
let problems: string[] = [];

/** The page, or a skip without Chromium (a failure in CI, where a missing browser is a broken setup). */
function browserPage(skip: (condition: boolean, note?: string) => void): Page {
  requireChromium(skip);
  if (page === undefined) throw new Error('Chromium did not start (see the beforeAll error)');
  return page;
}

beforeAll(async () => {
  playground = await startPlayground();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await playground?.close();
});

beforeEach(async () => {
  problems = [];
  if (!browser) return;
  page = await browser.newPage({ viewport: { width: 1680, height: 1050 } });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`a ${dialog.type()} dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(playground.url);
  await page.waitForSelector('body[data-busy="false"]');
});

afterEach(async () => {
  await page?.close();
  page = undefined;
});

const teams = (page: Page) => page.locator('#teams-pane');
const slack = (page: Page) => page.locator('#slack-pane');

/** What these tests read in the page (the test is compiled without the DOM library). */
interface PageGlobals {
  document: { body: { dataset: Record<string, string | undefined> } };
  location: { hash: string };
}

/** Runs `action` and waits until the page has drawn the turn it caused. */
async function turn(page: Page, action: () => Promise<void>): Promise<void> {
  const before = Number((await page.getAttribute('body', 'data-turns')) ?? '0');
  await action();
  // A function, not a string: the page's script policy refuses to evaluate strings.
  await page.waitForFunction((n) => {
    const { dataset } = (globalThis as unknown as PageGlobals).document.body;
    return Number(dataset.turns ?? 0) > n && dataset.busy === 'false';
  }, before);
}

/** Clicks a button of the Teams card (the Adaptive Cards renderer names them by title). */
const clickTeams = (page: Page, title: string) =>
  turn(page, () => teams(page).getByRole('button', { name: title, exact: true }).click());

const clickSlack = (page: Page, label: string | RegExp) =>
  turn(page, () => slack(page).locator('.sk-message').getByRole('button', { name: label }).first().click());

async function step(page: Page) {
  return {
    id: await page.getAttribute('body', 'data-step'),
    teamsTitle: (await teams(page).locator('.ac-textBlock[role="heading"]').first().textContent())?.trim(),
    slackTitle: (await slack(page).locator('.sk-header').first().textContent())?.trim(),
    diagramCurrent: (await page.locator('#diagram g.node.current').textContent())?.trim(),
  };
}

/** Both surfaces and the diagram show the step titled `title`. */
async function expectStep(page: Page, id: string, title: string) {
  const now = await step(page);
  expect(now).toEqual({ id, teamsTitle: title, slackTitle: title, diagramCurrent: title });
  expect(await page.locator('#diagram g.node.current').count()).toBe(1);
}

async function expectNoProblems(page: Page) {
  expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(problems).toEqual([]);
}

function modalInput(modal: Locator, label: string): Locator {
  return modal.locator('.sk-input', { has: modal.page().getByText(label, { exact: true }) });
}

describe('the playground in Chromium', () => {
  it('draws the code in guide summaries as code, without backticks', async ({ skip }) => {
    const page = browserPage(skip);
    const list = page.locator('#guides');
    await expect.poll(() => list.locator('.guide').count()).toBeGreaterThan(1);
    expect(await list.locator('.guide-summary code').allTextContents()).toContain('openssl s_client');
    expect(await list.textContent()).not.toContain('`');
    await expectNoProblems(page);
  });

  it('walks session-expiry to an escalation on the Teams card and the Slack preview in turn, and shows the ticket', async ({
    skip,
  }) => {
    const page = browserPage(skip);
    const started = Date.now();

    // "Describe your problem", then the best match.
    await page.fill('#describe-text', 'users keep getting logged out after a few minutes');
    await page.click('#describe button[type="submit"]');
    const match = page.locator('#matches .guide').first();
    await expect.poll(() => match.getAttribute('data-flow-id')).toBe('session-expiry');
    await turn(page, () => match.click());
    await expectStep(page, 'triage', 'Quick triage — pick your path');
    expect(await page.locator('#status').textContent()).toBe('In progress');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).location.hash)).toMatch(
      /^#c=[0-9a-f-]{36}$/,
    );

    await clickTeams(page, 'Fix session store');
    await expectStep(page, 'fix-session-store', 'Fix session store');
    await clickSlack(page, 'Still expires: check the session cookie maxAge');
    await expectStep(page, 'fix-cookie-max-age', 'Set the session cookie maxAge');

    // Back from the Teams card, then forward again from Slack.
    await clickTeams(page, 'Back');
    await expectStep(page, 'fix-session-store', 'Fix session store');
    await clickSlack(page, 'Still expires: check the session cookie maxAge');
    await clickTeams(page, 'Still expires: check the load balancer');
    await expectStep(page, 'fix-load-balancer', 'Use sticky sessions or shared session store');

    // An FAQ from Slack's select: the answer appears on both surfaces.
    const faq = slack(page).locator('select.sk-select');
    await turn(page, async () => {
      await faq.selectOption({ label: 'Can a load balancer cause session expiry?' });
    });
    await expect.poll(() => teams(page).textContent()).toContain('each request may hit a different server');
    expect(await slack(page).textContent()).toContain('each request may hit a different server');

    await clickSlack(page, /^Cannot change load balancer/);
    await expectStep(page, 'escalate-infrastructure', 'Escalate to infrastructure');

    // The Teams card checks its inputs before sending, as Teams does: a bad duration never leaves the page.
    const revision = await page.getAttribute('body', 'data-revision');
    const timeout = teams(page).getByLabel('Session timeout value in app config');
    await timeout.fill('forever');
    const submitLabel =
      (await teams(page).locator('.ac-pushButton.style-positive').first().getAttribute('aria-label')) ?? '';
    await teams(page).getByRole('button', { name: submitLabel, exact: true }).click();
    await expect.poll(() => timeout.getAttribute('class')).toContain('ac-input-validation-failed');
    expect(await page.getAttribute('body', 'data-revision')).toBe(revision);

    // Slack's form button opens the modal; the same bad value there is refused by the engine.
    await clickSlack(page, /^Fill in/);
    const modal = slack(page).locator('.sk-modal');
    await expect.poll(() => modal.isVisible()).toBe(true);
    const hostile = '<img src=x onerror="window.__pwned=1"> *not bold* <@U0123ABCD>';
    await modalInput(modal, 'Session timeout value in app config').locator('input').fill('forever');
    await modalInput(modal, 'Session store type').locator('select').selectOption({ label: 'Redis' });
    await modalInput(modal, 'Load balancer type').locator('select').selectOption({ label: 'AWS ALB / ELB' });
    await modalInput(modal, 'Sticky sessions (session affinity) enabled').getByLabel('No').check();
    await modalInput(modal, 'Cookie maxAge from DevTools').locator('input').fill(hostile);
    await turn(page, () =>
      modal
        .getByRole('button', { name: 'Submit' })
        .or(modal.locator('button[type="submit"]'))
        .first()
        .click(),
    );
    const timeoutError = modalInput(modal, 'Session timeout value in app config').locator('.sk-input-error');
    expect(await timeoutError.textContent()).toMatch(/duration/);
    expect(await modal.isVisible()).toBe(true);
    expect(await page.locator('#status').textContent()).toBe('In progress');
    // The Teams card shows the engine's error under the same field.
    expect(await teams(page).textContent()).toContain((await timeoutError.textContent()) ?? '-');

    await modalInput(modal, 'Session timeout value in app config').locator('input').fill('30m');
    await turn(page, () => modal.locator('button[type="submit"]').click());
    expect(await modal.count()).toBe(0);
    expect(await page.locator('#status').textContent()).toBe('Escalated');

    // The ticket: on the page, on the Teams card and in the Slack message, typed text shown as typed.
    const ticket = page.locator('#ticket');
    expect(await ticket.isVisible()).toBe(true);
    expect(await ticket.locator('.ticket-kicker').textContent()).toBe('Escalation ticket #1');
    const captured = ticket.locator('tr', {
      has: page.getByText('Cookie maxAge from DevTools', { exact: true }),
    });
    expect(await captured.locator('td').textContent()).toBe(hostile);
    expect(await ticket.locator('td', { hasText: '30m' }).count()).toBe(1);
    expect(await teams(page).textContent()).toContain('Ticket:');
    expect(await teams(page).textContent()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await slack(page).textContent()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    // Teams escapes emphasis in typed text; Slack's renderer escapes only what makes mentions and links.
    expect(await teams(page).locator('strong, em', { hasText: 'not bold' }).count()).toBe(0);
    expect(await slack(page).locator('.sk-mention, a').count()).toBe(0);
    await expectNoProblems(page);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await ticket.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-escalation.png'), fullPage: true });
    console.info(`escalation walk took ${Date.now() - started} ms`);
  }, 60_000);

  it('walks it to a resolution, with start over from the Teams overflow menu and from Slack, and takes feedback', async ({
    skip,
  }) => {
    const page = browserPage(skip);
    const started = Date.now();
    await turn(page, () => page.locator('#guides .guide[data-flow-id="session-expiry"]').click());
    await clickSlack(page, 'Fix server timeout');
    await expectStep(page, 'fix-server-timeout', 'Increase session timeout and cookie maxAge');

    // While the guide runs, Teams keeps "Start over" in the card's overflow menu.
    await teams(page)
      .getByRole('button', { name: /more/i })
      .or(teams(page).locator('.ac-pushButton', { hasText: '...' }))
      .first()
      .click();
    await turn(page, () => page.locator('.ac-ctrl-dropdown-item', { hasText: 'Start over' }).click());
    await expectStep(page, 'triage', 'Quick triage — pick your path');

    await clickTeams(page, 'Fix server timeout');
    // Slack asks before starting over a running guide; keep going keeps the step.
    await slack(page).getByRole('button', { name: 'Start over' }).click();
    await slack(page).locator('.sk-confirm').getByRole('button', { name: 'Keep going' }).click();
    expect(await page.getAttribute('body', 'data-step')).toBe('fix-server-timeout');

    await clickTeams(page, 'Session lasts as expected');
    await expectStep(page, 'verify', 'Verification');
    await clickSlack(page, 'All three hold');
    await expectStep(page, 'resolved', 'Session fixed');
    expect(await page.locator('#status').textContent()).toBe('Resolved');
    expect(await page.locator('#ticket').isVisible()).toBe(false);

    await clickTeams(page, 'Yes');
    await expect.poll(() => slack(page).textContent()).toContain('Thanks for your feedback.');
    expect(await teams(page).textContent()).toContain('Thanks for your feedback.');

    // A reload comes back to the same conversation from the URL fragment.
    await page.reload();
    await page.waitForSelector('body[data-busy="false"][data-step="resolved"]');
    await expectNoProblems(page);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-resolution.png'), fullPage: true });
    console.info(`resolution walk took ${Date.now() - started} ms`);
  }, 60_000);
});
