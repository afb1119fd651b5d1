import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../src/auth/password';
import { Platform } from '../src/entities/enums';
import { DEFAULT_QUERY } from '../web/graphiql/default-query';
import { describeInBrowser, launchChromium, screenshotPath } from './support/browser';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes, sendPush, TEST_PLATFORM_ENV } from './support/webhooks';

describeInBrowser('GraphiQL in Chromium, cut off from everything but this server', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let shopId: string;
  /** Requests the page tried to send anywhere but the API: the network refused every one. */
  const refused: string[] = [];

  /** Replaces an editor's text as typed input (not key by key: the editor would close brackets). */
  const typeInto = async (editor: string, text: string) => {
    await page.click(`${editor} .CodeMirror`);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  };

  beforeAll(async () => {
    t = await startTestApp({ redisUrl: process.env.REDIS_URL, platformEnv: TEST_PLATFORM_ENV });
    shopId = `20${Math.floor(Math.random() * 1e8)}`;
    await factories(t.orm).channel({ platform: Platform.LAZADA, externalShopId: shopId });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const origin = new URL(t.httpUrl).origin;
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin || url.startsWith('data:')) return route.continue();
      refused.push(url);
      return route.abort('internetdisconnected');
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('loads with its schema explorer and history from local assets only', async () => {
    await page.goto(`${t.httpUrl}/graphql`);
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror');
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('.graphiql-doc-explorer >> text=Root Types');
    await page.click('.graphiql-doc-explorer a:has-text("Subscription")');
    await page.waitForSelector('.graphiql-doc-explorer >> text=orderEvents');
    await page.click('[aria-label="Show History"]');
    await page.waitForSelector('.graphiql-history');
    expect(refused).toEqual([]);
  });

  it("signs a first-time visitor in with the editor's own example, as it comes", async () => {
    const user = await factories(t.orm).user({
      email: `graphiql-${randomUUID().slice(0, 8)}@demo.local`,
      passwordHash: await hashPassword('demo1234'),
    });
    // The example signs in admin@demo.local; this server has no demo data, so aim it at a user it has.
    await page.click('.graphiql-query-editor .CodeMirror');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(DEFAULT_QUERY.replace('admin@demo.local', user.email));
    // Run the operation under the cursor: the first one, SignIn.
    await page.click('.graphiql-query-editor .CodeMirror-line >> text=mutation SignIn');
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.locator('.result-window').filter({ hasText: '"token"' }).waitFor();
    expect(await page.locator('.result-window').innerText()).not.toContain('errors');
  });

  it('runs a subscription typed into it, with the token from the header editor', async () => {
    await typeInto(
      '.graphiql-query-editor',
      'subscription Live { orderEvents { platform status order { externalId } } }',
    );
    await page.click('button:has-text("Headers")');
    await typeInto(
      '.graphiql-editor-tool .graphiql-editor:not(.hidden)',
      JSON.stringify({ Authorization: `Bearer ${t.adminToken}` }),
    );
    await page.click('.graphiql-execute-button');
    // Nothing on the page says when the socket is subscribed: push new orders
    // until one arrives (a live subscription sees only what comes after it).
    const sent: string[] = [];
    const deadline = Date.now() + 15_000;
    let shown: string | undefined;
    while (!shown) {
      if (Date.now() > deadline)
        throw new Error(`no event reached GraphiQL (sent ${sent.join(', ')})`);
      const externalId = `GQL-${randomUUID().slice(0, 8)}`;
      const push = pushes.lazada(shopId, externalId, 'pending', Math.floor(Date.now() / 1000));
      expect((await sendPush(t.httpUrl, push)).status).toBe(200);
      sent.push(externalId);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const text = await page.locator('.result-window').innerText();
      shown = sent.find((id) => text.includes(id));
    }
    const result = await page.locator('.result-window').innerText();
    expect(result).toContain('"platform": "LAZADA"');
    expect(result).toContain('"status": "CONFIRMED"');
    await page.screenshot({ path: screenshotPath('graphiql-subscription.png') });
    expect(refused).toEqual([]);
  });
});
