import { h } from './dom';

/**
 * The widget's whole stylesheet, scoped by the Shadow DOM: nothing leaks out, and the host page's
 * rules cannot reach in. `--a` / `--on` are the site's colour and its readable text colour.
 */
export const STYLES = `
*{box-sizing:border-box}
[hidden]{display:none!important}
.w{font:14px/1.45 system-ui,sans-serif;color:#1b1b1f}
button,input,textarea{font:inherit;color:inherit}
button{cursor:pointer;border:0;border-radius:8px;background:0}
:focus-visible{outline:3px solid #1a5fd6;outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.launcher,.preview,.panel{position:fixed;bottom:20px;right:20px;box-shadow:0 4px 14px rgba(0,0,0,.3)}
.launcher{width:56px;height:56px;border-radius:50%}
.launcher,header,.msg.visitor,.primary{background:var(--a);color:var(--on)}
.launcher,.icon{display:flex;align-items:center;justify-content:center}
svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:-4px;right:-4px;padding:2px 7px;border-radius:11px;background:#b3261e;color:#fff;font-size:12px;font-weight:700}
.preview{bottom:86px;max-width:260px;padding:10px 14px;border-radius:14px;background:#fff;text-align:left;max-height:88px;overflow:hidden}
.panel{width:370px;height:min(620px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;border-radius:14px;overflow:hidden}
.left>*{right:auto;left:20px}
header{display:flex;align-items:center;gap:8px;padding:12px 8px 12px 16px}
.title{flex:1;min-width:0}
.name{font-size:16px;margin:0;overflow:hidden;text-overflow:ellipsis}
.ai,.who,.sources,.meta,.typing{font-size:12px}
.icon{width:36px;height:36px}
.icon svg{width:20px;height:20px}
.menu{position:absolute;top:4px;right:8px;z-index:1;background:#fff;border:1px solid #d6d6de;border-radius:10px;display:flex;flex-direction:column;padding:4px}
.menu>*{padding:10px 12px;text-align:left;color:#1b1b1f;text-decoration:none}
.body,.scroll,.log,.drafts{display:flex;flex-direction:column;gap:10px;min-height:0}
.body{position:relative;flex:1;gap:0}
.scroll{flex:1;overflow-y:auto;padding:16px 12px}
.msg{max-width:85%;padding:8px 12px;border-radius:14px;background:#f0f0f4;white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}
.msg.visitor{align-self:flex-end}
.msg.agent{background:#e6f4ea}
.who{display:block;font-weight:600}
.sources{margin-top:6px}
.sources>*{display:block}
.sources a{color:#1a4fb0}
.meta button,.banner button{padding:0 0 0 6px;text-decoration:underline}
.typing{color:#5b5b66;padding:0 14px}
.banner,.notice,.confirm,.contact{margin:0 12px 8px;padding:8px 10px;border-radius:8px;font-size:13px}
.banner{background:#fff4e5;color:#5c3400}
.notice{background:#eef2ff;color:#1f2a5c}
.confirm{background:#fff5f5}
.row,.compose{display:flex;gap:8px;margin-top:8px}
.contact,.plain,input,textarea{border:1px solid #b9b9c3}
.row input{flex:1;min-width:0}
input,textarea,.plain{border-radius:8px;padding:8px 10px;background:#fff}
.compose{padding:10px 12px;border-top:1px solid #e4e4ea}
textarea{flex:1;resize:none;height:42px}
.primary{padding:0 14px;min-height:38px;font-weight:600}
.danger{padding:6px 12px;background:#b3261e;color:#fff}
@media (max-width:480px){.panel{inset:0;width:100%;height:100%;border-radius:0}input,textarea{font-size:16px}}
`;

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
