import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** What a person and a screen reader get on any page: one main, one h1, nothing wider than the screen, no serious axe finding. */
export async function expectPageWorks(page: Page, width: number) {
  await expect.soft(page.getByRole('main')).toHaveCount(1);
  await expect.soft(page.locator('h1')).toHaveCount(1);
  await expectNothingSerious(page, width);
}

/** No serious or critical axe violation, and nothing wider than the screen (with a dialog open, too). */
export async function expectNothingSerious(page: Page, width: number) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect.soft(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  // 1.4.10 reflow: no page scrolls sideways.
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  const tooWide = await page.evaluate((w) => {
    // The innermost elements that reach past the screen's edge, to say what to mend.
    const past = Array.from(document.querySelectorAll('body *')).filter((el) => el.getBoundingClientRect().right > w + 0.5);
    return past.filter((el) => !past.some((other) => other !== el && el.contains(other))).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent?.slice(0, 40)}`);
  }, width);
  expect.soft(scrollWidth, `page width (past the edge: ${tooWide.join(' | ')})`).toBeLessThanOrEqual(width);
}
