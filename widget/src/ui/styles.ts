import { h } from './dom';

/**
 * The widget's whole stylesheet, scoped by the Shadow DOM: nothing leaks out, and the host page's
 * rules cannot reach in. `--a` / `--on` are the site's colour and its readable text colour. One rule
 * a line, joined without newlines (the minifier folds the `+`, and every byte counts).
 *
 * Light or dark follows the visitor's preference (`prefers-color-scheme`, through `color-scheme`):
 * the surfaces and text are system colours (Canvas, CanvasText, LinkText, form fields, scrollbars),
 * which the browser switches, and the tints are translucent, so each suits both. No second palette.
 */
export const STYLES =
  '*{box-sizing:border-box}' +
  '[hidden]{display:none!important}' +
  '.w{font:14px/1.45 system-ui,sans-serif;color:CanvasText;color-scheme:light dark}' +
  'button,input,textarea{font:inherit;color:inherit}' +
  'button{cursor:pointer;border:0;border-radius:8px;background:0}' +
  // At least 3:1 against white and against the dark canvas alike.
  ':focus-visible{outline:3px solid #1a5fd6;outline-offset:2px}' +
  '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}' +
  '.launcher,.preview,.panel{position:fixed;bottom:20px;right:20px;box-shadow:0 4px 14px #0000004d}' +
  '.launcher{width:56px;height:56px;border-radius:50%}' +
  '.launcher,header,.msg.visitor,.primary{background:var(--a);color:var(--on)}' +
  '.launcher,.icon{display:flex;align-items:center;justify-content:center}' +
  'svg{width:28px;height:28px;fill:currentColor}' +
  '.badge{position:absolute;top:-4px;right:-4px;padding:2px 7px;border-radius:11px;background:#b3261e;color:#fff;font-size:12px;font-weight:700}' +
  '.preview,.panel,.menu{background:Canvas}' +
  // At most three lines of the latest reply, ended with an ellipsis. The space around them is a
  // transparent border, not padding: the clamped lines would show in the padding.
  '.preview{bottom:86px;max-width:260px;padding:0 4px;border:10px solid #0000;border-radius:14px;text-align:left;display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;overflow:hidden}' +
  '.panel{width:370px;height:min(620px,calc(100vh - 40px));display:flex;flex-direction:column;border-radius:14px;overflow:hidden}' +
  '.left>*{right:auto;left:20px}' +
  'header{display:flex;align-items:center;gap:8px;padding:12px 8px 12px 16px}' +
  '.title{flex:1;min-width:0}' +
  '.name{font-size:16px;margin:0;overflow:hidden;text-overflow:ellipsis}' +
  '.ai,.who,.sources,.meta,.typing{font-size:12px}' +
  '.icon{width:36px;height:36px}' +
  '.icon svg{width:20px;height:20px}' +
  '.menu{position:absolute;top:4px;right:8px;z-index:1;border:1px solid #8888;border-radius:10px;display:flex;flex-direction:column;padding:4px}' +
  '.menu>*{padding:10px 12px;text-align:left;color:inherit;text-decoration:none}' +
  '.body,.scroll,.log,.drafts{display:flex;flex-direction:column;gap:10px;min-height:0}' +
  '.body{position:relative;flex:1;gap:0}' +
  '.scroll{flex:1;overflow-y:auto;padding:16px 12px}' +
  '.msg{max-width:85%;padding:8px 12px;border-radius:14px;background:#8883;white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}' +
  '.msg.visitor{align-self:flex-end}' +
  '.msg.agent{background:#3a53}' +
  '.who{display:block;font-weight:600}' +
  '.sources{margin-top:6px}' +
  '.sources>*{display:block}' +
  '.meta button,.banner button{padding:0 0 0 6px;text-decoration:underline}' +
  '.typing{padding:0 14px}' +
  '.banner,.notice,.confirm,.contact{margin:0 12px 8px;padding:8px 10px;border-radius:8px;font-size:13px}' +
  '.banner{background:#f903}' +
  '.notice{background:#46f3}' +
  '.confirm{background:#e442}' +
  '.row,.compose{display:flex;gap:8px;margin-top:8px}' +
  '.contact,.plain,input,textarea{border:1px solid #888}' +
  '.row input{flex:1;min-width:0}' +
  'input,textarea,.plain{border-radius:8px;padding:8px 10px}' +
  '.compose{padding:10px 12px;border-top:1px solid #8884}' +
  'textarea{flex:1;resize:none;height:42px}' +
  '.primary{padding:0 14px;min-height:38px;font-weight:600}' +
  '.danger{padding:6px 12px;background:#b3261e;color:#fff}' +
  '@media (max-width:480px){.panel{inset:0;width:100%;height:100%;border-radius:0}input,textarea{font-size:16px}}';

/**
 * A constructed stylesheet where the browser has them: host pages whose Content-Security-Policy
 * forbids inline styles (no `'unsafe-inline'`) still get a styled widget. Elsewhere, a `<style>`.
 */
export function adoptStyles(root: ShadowRoot): Node | string {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    root.adoptedStyleSheets = [sheet];
    return '';
  } catch {
    return h('style', { text: STYLES });
  }
}
