// Debian's Chromium driven by playwright-core (no browser downloads), and axe checks.
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = process.env.CYLCH_SCREENSHOTS ?? '/tmp/cylch-e2e';

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Serious and critical axe violations (WCAG 2.0–2.2 A and AA rules) on the page as it is now. */
export async function axeViolations(page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Whether the page scrolls sideways (a failure of reflow at 320–360 px / 400% zoom). */
export async function overflowsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/**
 * Records in `sink` every Content-Security-Policy violation that pages of `context` report
 * (the server sends a strict policy: docs/security.md). Call before opening pages.
 */
export async function watchCsp(context, sink) {
  context.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) sink.push(m.text());
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
}

/**
 * A page in a context of its own at `baseURL`, recording CSP violations in `cspSink` and
 * printing the page's uncaught errors.
 */
export async function openPage(browser, baseURL, cspSink, options = {}) {
  const context = await browser.newContext({ ...options, baseURL });
  await watchCsp(context, cspSink);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
  return page;
}
