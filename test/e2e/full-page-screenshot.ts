import type { Page } from 'playwright-core';

/**
 * A screenshot of the whole page. The shell scrolls inside <main>, not the window, so Playwright's
 * `fullPage` would stop at the viewport: the window is made as tall as the content for the shot.
 */
export async function fullPageScreenshot(page: Page, path: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1440, height: 1000 };
  const height = await page.locator('main').evaluate((main) => main.scrollHeight + 120);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await page.screenshot({ path });
  await page.setViewportSize(size);
}
