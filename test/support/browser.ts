import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium package; playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. */
export const browserSkipReason: string | null = existsSync(CHROMIUM_PATH)
  ? null
  : `no Chromium at ${CHROMIUM_PATH} (install Debian's chromium package, or set CHROMIUM_PATH)`;

/** `describe`, or `describe.skip` naming why when there is no Chromium. */
export function describeInBrowser(name: string, body: () => void): void {
  if (browserSkipReason) {
    describe.skip(`${name} (skipped: ${browserSkipReason})`, body);
  } else {
    describe(name, body);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Without the background-networking switches Chromium keeps dialling
    // Google's hosts, which this machine's closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Screenshots land in test-output/ (ignored by git), for a person to look at. */
export function screenshotPath(name: string): string {
  const dir = path.join(__dirname, '..', '..', 'test-output');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
