import { guard } from './guard';
import { startWidget } from './widget';

/**
 * The embed: `<script src="https://HOST/widget.js" data-site-key="pk_…" async></script>`. The API
 * is wherever this file came from. One instance per page, even when the snippet is pasted twice.
 */
guard(() => {
  const win = window as Window & typeof globalThis & { Cloop?: unknown };
  if (win.Cloop) return;
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[data-site-key][src*="widget.js"]');
  const siteKey = script?.dataset['siteKey'];
  if (!script || !siteKey) return;
  win.Cloop = startWidget(siteKey, new URL(script.src).origin, win);
})();
