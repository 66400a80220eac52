/** What the widget itself draws that takes focus (it sets no `tabindex` anywhere). */
const FOCUSABLE = 'button,a[href],input,textarea';

/** Keeps Tab and Shift+Tab cycling inside `container` (the open panel). */
export function trapTab(event: KeyboardEvent, container: HTMLElement, root: ShadowRoot): void {
  const focusable = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => !element.closest('[hidden]') && !(element as HTMLButtonElement).disabled,
  );
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  const active = root.activeElement;
  const inside = active instanceof HTMLElement && container.contains(active);
  if (!inside || (event.shiftKey && active === first)) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}
