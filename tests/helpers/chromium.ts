import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium: browser tests drive it with playwright-core, never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const MISSING = `${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium) to run the browser tests`;

export const hasChromium = existsSync(CHROMIUM);

/** Starts Chromium, or returns undefined when it is not installed (see `requireChromium`). */
export async function launchChromium(): Promise<Browser | undefined> {
  return hasChromium ? chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }) : undefined;
}

/**
 * Skips the test when Chromium is missing, except under CI=true, where a missing browser is a broken
 * setup and fails the test.
 */
export function requireChromium(skip: (condition: boolean, note?: string) => void): void {
  skip(!hasChromium && process.env.CI !== 'true', MISSING);
  if (!hasChromium) throw new Error(`CI=true and ${MISSING}`);
}
