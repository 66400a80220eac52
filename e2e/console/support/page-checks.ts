import { readFileSync } from 'node:fs';

import type { Page } from 'playwright-core';

/** axe-core's browser build, injected into each page under test. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the issue asks of every console page. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The page's WCAG A/AA violations, as "rule: selector" lines (empty when there are none). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the console's strict CSP does not govern (a
  // <script> tag would be refused, rightly).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, { runOnly: { type: 'tag', values: tags } })) as {
      violations: AxeViolation[];
    };
    return result.violations;
  }, WCAG_TAGS);
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.help}): ${node.target.join(' ')}`),
  );
}

/**
 * Layout faults a person would see: the page scrolls sideways, an element sticks out of the
 * viewport, or text is wider than its box without being cut with an ellipsis on purpose.
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    const name = (element: Element): string => {
      const id = element.getAttribute('data-testid');
      const text = (element.textContent ?? '').trim().slice(0, 30);
      return `${element.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''} "${text}"`;
    };
    if (document.documentElement.scrollWidth > width + 1) {
      problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px in ${width}px`);
    }
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // Only a wide table (or code) may scroll sideways, inside its own box; anything else that
      // does is a sideways scroll for the person too.
      const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
      const mayScroll = element.tagName === 'TABLE' || element.tagName === 'PRE';
      if (scrolls && !mayScroll && element.scrollWidth > element.clientWidth + 1) {
        problems.push(`${name(element)} scrolls sideways (${element.scrollWidth} in ${element.clientWidth})`);
      }
      let clipped = false;
      for (
        let parent = element.parentElement;
        parent && parent !== document.body;
        parent = parent.parentElement
      ) {
        const overflow = getComputedStyle(parent).overflowX;
        if (
          overflow === 'hidden' ||
          overflow === 'clip' ||
          parent.tagName === 'TABLE' ||
          parent.tagName === 'PRE'
        ) {
          clipped = true;
          break;
        }
      }
      if (element.closest('.visually-hidden, dialog:not([open])')) continue;
      if (!clipped && (box.right > width + 1 || box.left < -1)) {
        problems.push(
          `${name(element)} leaves the viewport (${Math.round(box.left)}–${Math.round(box.right)} of ${width})`,
        );
      }
      const cut =
        style.textOverflow === 'ellipsis' || style.overflowX === 'auto' || style.overflowX === 'scroll';
      const hasOwnText = Array.from(element.childNodes).some(
        (node) => node.nodeType === 3 && (node.textContent ?? '').trim(),
      );
      if (
        hasOwnText &&
        !cut &&
        element.scrollWidth > element.clientWidth + 1 &&
        element.clientWidth > 0 &&
        style.overflowX !== 'visible'
      ) {
        problems.push(`${name(element)} overflows its box (${element.scrollWidth} > ${element.clientWidth})`);
      }
      if (
        hasOwnText &&
        !cut &&
        style.overflowX === 'visible' &&
        element.clientWidth > 0 &&
        element.scrollWidth > element.clientWidth + 1 &&
        style.display !== 'inline'
      ) {
        problems.push(
          `${name(element)} text spills out of its box (${element.scrollWidth} > ${element.clientWidth})`,
        );
      }
    }
    return [...new Set(problems)];
  });
}
