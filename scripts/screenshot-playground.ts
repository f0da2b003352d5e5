// Regenerates docs/playground.png, the README's picture of the playground: fixpath on the embedded
// default (a temporary SQLite file), Debian's Chromium driven by playwright-core, the session-expiry
// guide two steps in. Run with `npm run screenshot`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import { startFixpath } from '../src/main.ts';
import { launchChromium } from '../tests/helpers/chromium.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'playground.png');

/** Runs `action` and waits until the page has drawn the turn it caused. */
async function turn(page: Page, action: () => Promise<void>): Promise<void> {
  const before = Number((await page.getAttribute('body', 'data-turns')) ?? '0');
  await action();
  await page.waitForFunction((n) => {
    const { dataset } = (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } })
      .document.body;
    return Number(dataset.turns ?? 0) > n && dataset.busy === 'false';
  }, before);
}

const dir = mkdtempSync(join(tmpdir(), 'fixpath-screenshot-'));
const fixpath = await startFixpath(
  loadConfig({
    FIXPATH_DATABASE: join(dir, 'fixpath.db'),
    FIXPATH_TICKETS_DIR: join(dir, 'tickets'),
    FIXPATH_CONFIG: '',
    LOG_LEVEL: 'silent',
  }),
  { port: 0, host: '127.0.0.1' },
);
const browser = await launchChromium();
if (!browser) throw new Error("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)");
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(fixpath.url);
  await page.waitForSelector('body[data-busy="false"]');
  await page.fill('#describe-text', 'users keep getting logged out after a few minutes');
  await page.click('#describe button[type="submit"]');
  const match = page.locator('#matches .guide').first();
  await match.waitFor();
  await turn(page, () => match.click());
  await turn(page, () =>
    page.locator('#teams-pane').getByRole('button', { name: 'Fix session store', exact: true }).click(),
  );
  await turn(page, () =>
    page
      .locator('#slack-pane .sk-message')
      .getByRole('button', { name: 'Still expires: check the session cookie maxAge' })
      .first()
      .click(),
  );
  await page.screenshot({ path: OUT });
  console.info(`wrote ${OUT}`);
} finally {
  await browser.close();
  await fixpath.stop();
  rmSync(dir, { recursive: true, force: true });
}
