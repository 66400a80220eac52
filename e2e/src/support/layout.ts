import type { Page } from 'playwright-core';

/**
 * Layout faults a visitor would see in the widget (inside its shadow root, which a check of the page
 * alone would not enter): an element that leaves the viewport or the box that clips it, and text
 * that runs out of its container. Text cut with an ellipsis on purpose (one line or a line clamp) is fine, and so are the
 * visually hidden labels for screen readers. Returns one line per fault: an empty list is a pass.
 */
export function widgetLayoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector('cloop-widget')?.shadowRoot;
    if (!root) return ['no widget on the page'];
    const problems: string[] = [];
    const view = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
    type Box = typeof view;
    const name = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''}` +
      ` "${(element.textContent ?? '').trim().slice(0, 30)}"`;
    const outside = (inner: Box, outer: Box) =>
      inner.left < outer.left - 1 ||
      inner.right > outer.right + 1 ||
      inner.top < outer.top - 1 ||
      inner.bottom > outer.bottom + 1;
    const shown = (element: Element) => {
      const style = getComputedStyle(element);
      return style.display !== 'none' && style.visibility !== 'hidden' && !element.closest('[hidden]');
    };
    /** The box that clips this element: the nearest ancestor that does not let overflow show, or the viewport. */
    const clipOf = (element: Element): { box: Box; scrollsY: boolean } => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
          return { box: parent.getBoundingClientRect(), scrollsY: /auto|scroll/.test(style.overflowY) };
        }
        if (style.position === 'fixed') break;
      }
      return { box: view, scrollsY: false };
    };

    for (const element of Array.from(root.querySelectorAll('*'))) {
      if (!shown(element) || element.closest('.sr, style')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const clip = clipOf(element);
      // What scrolls vertically inside its box (the message list) may sit above or below it.
      const allowed = clip.scrollsY ? { ...clip.box, top: -Infinity, bottom: Infinity } : clip.box;
      if (outside(box, allowed)) {
        problems.push(
          `${name(element)} leaves ${clip.box === view ? 'the viewport' : 'its box'} ` +
            `(${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)})`,
        );
      }
      if (outside(box, view) && clip.box === view) continue;
      // Text: every line of it inside the content box of the block that holds it. A line cut with an
      // ellipsis may run on sideways; a line clamp's hidden lines must be wholly out of sight.
      const style = getComputedStyle(element);
      if (style.display === 'inline') continue;
      const px = (value: string) => parseFloat(value) || 0;
      const paddingBox = {
        left: box.left + px(style.borderLeftWidth),
        right: box.right - px(style.borderRightWidth),
        top: box.top + px(style.borderTopWidth),
        bottom: box.bottom - px(style.borderBottomWidth),
      };
      const content = {
        left: paddingBox.left + px(style.paddingLeft),
        right: paddingBox.right - px(style.paddingRight),
        top: paddingBox.top + px(style.paddingTop),
        bottom: paddingBox.bottom - px(style.paddingBottom),
      };
      const allowedText =
        style.textOverflow === 'ellipsis' ? { ...content, left: -Infinity, right: Infinity } : content;
      const clamped = style.getPropertyValue('-webkit-line-clamp') !== 'none';
      for (const node of Array.from(element.childNodes)) {
        let lines: DOMRect[] = [];
        if (node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim()) {
          const range = document.createRange();
          range.selectNodeContents(node);
          lines = Array.from(range.getClientRects());
        } else if (
          node instanceof HTMLElement &&
          getComputedStyle(node).display === 'inline' &&
          shown(node)
        ) {
          if (node.closest('.sr')) continue;
          lines = Array.from(node.getClientRects());
        }
        const spilling = lines.find(
          (line) =>
            line.width > 0 && !(clamped && line.top >= paddingBox.bottom - 1) && outside(line, allowedText),
        );
        if (spilling) {
          const at = (b: Box) =>
            `${Math.round(b.left)}–${Math.round(b.right)} × ${Math.round(b.top)}–${Math.round(b.bottom)}`;
          problems.push(`text of ${name(element)} overflows it (${at(spilling)} in ${at(content)})`);
        }
      }
    }
    return [...new Set(problems)];
  });
}
