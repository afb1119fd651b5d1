import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/** The page as a person sees it, measured in the browser (see `measureLayout`). */
export type PageLayout = {
  innerWidth: number;
  /** document.documentElement's: wider than innerWidth means the page scrolls sideways. */
  scrollWidth: number;
  header: { scrollWidth: number; clientWidth: number; right: number };
  /** Elements past the left or right edge of the window that no scrolling box of their own holds. */
  outside: string[];
  /** Boxes that scroll sideways: where they are, and whether they do overflow. */
  scrollers: {
    id: string;
    panel: string | undefined;
    right: number;
    scrollWidth: number;
    clientWidth: number;
  }[];
  panels: { id: string; left: number; right: number }[];
  /** Of the elements matching the `oneLine` selectors, those whose text takes more than one line. */
  wrapped: string[];
};

// A string, evaluated in the page: the tests are typed without the DOM library.
const LAYOUT_SCRIPT = `(oneLine) => {
  const name = (el) => el.tagName.toLowerCase() + (el.dataset.testid ? '[data-testid=' + el.dataset.testid + ']' : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const heldByScroller = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) return true;
    }
    return false;
  };
  const all = [...document.body.querySelectorAll('*')];
  const outside = all
    .filter((el) => {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) return false;
      return (box.right > innerWidth + 0.5 || box.left < -0.5) && !heldByScroller(el);
    })
    .map(name);
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size;
  };
  const header = document.querySelector('header');
  return {
    innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    header: header
      ? { scrollWidth: header.scrollWidth, clientWidth: header.clientWidth, right: header.getBoundingClientRect().right }
      : { scrollWidth: 0, clientWidth: 0, right: 0 },
    outside,
    scrollers: all.filter(scrolls).map((el) => ({
      id: name(el),
      panel: el.closest('.panel')?.dataset.testid,
      right: el.getBoundingClientRect().right,
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
    })),
    panels: [...document.querySelectorAll('.panel')].map((el) => ({
      id: el.dataset.testid,
      left: el.getBoundingClientRect().left,
      right: el.getBoundingClientRect().right,
    })),
    wrapped: oneLine.flatMap((selector) => [...document.querySelectorAll(selector)]).filter((el) => lines(el) > 1).map(name),
  };
}`;

/** Measures the page's layout in the browser; `oneLine` selects elements that must not wrap. */
export async function measureLayout(page: Page, oneLine: string[] = []): Promise<PageLayout> {
  return page.evaluate<PageLayout>(`(${LAYOUT_SCRIPT})(${JSON.stringify(oneLine)})`);
}
