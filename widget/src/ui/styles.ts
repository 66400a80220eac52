import { h } from './dom';

/**
 * The widget's whole stylesheet, scoped by the Shadow DOM: nothing leaks out, and the host page's
 * rules cannot reach in. `--a` / `--on` are the site's colour and its readable text colour.
 */
export const STYLES = `
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.w{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1f;-webkit-font-smoothing:antialiased}
button,input,textarea{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:3px solid #1a5fd6;outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border:0;border-radius:50%;background:var(--a);color:var(--on);box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}
.launcher svg{width:28px;height:28px;fill:currentColor}
.panel{position:fixed;bottom:20px;right:20px;width:370px;height:min(620px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 8px 32px rgba(0,0,0,.28);overflow:hidden}
.left .launcher,.left .panel{right:auto;left:20px}
header{display:flex;align-items:center;gap:8px;padding:12px 8px 12px 16px;background:var(--a);color:var(--on)}
.title{flex:1;min-width:0}
.name{font-weight:600;font-size:16px;margin:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.ai{font-size:12px;opacity:.9}
.icon{width:36px;height:36px;border:0;border-radius:8px;background:transparent;color:inherit;display:flex;align-items:center;justify-content:center}
.icon:hover{background:rgba(127,127,127,.25)}
.icon svg{width:20px;height:20px;fill:currentColor}
.menu{position:absolute;top:4px;right:8px;z-index:1;min-width:200px;background:#fff;border:1px solid #d6d6de;border-radius:10px;box-shadow:0 6px 20px rgba(0,0,0,.18);display:flex;flex-direction:column;padding:4px}
.menu button,.menu a{padding:10px 12px;border:0;border-radius:6px;background:none;text-align:left;color:#1b1b1f;text-decoration:none}
.menu button:hover,.menu a:hover{background:#f0f0f4}
.body{position:relative;flex:1;display:flex;flex-direction:column;min-height:0}
.scroll{flex:1;overflow-y:auto;padding:16px 12px;display:flex;flex-direction:column;gap:10px}
.log,.drafts{display:flex;flex-direction:column;gap:10px}
.msg{max-width:85%;padding:8px 12px;border-radius:14px;background:#f0f0f4;white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}
.msg.visitor{align-self:flex-end;background:var(--a);color:var(--on)}
.msg.agent{background:#e6f4ea}
.who{display:block;font-size:12px;font-weight:600;opacity:.8}
.sources{margin-top:6px;font-size:12px}
.sources a{color:#1a4fb0;display:block}
.meta{font-size:12px;opacity:.85;margin-top:2px}
.meta button,.banner button{border:0;background:none;padding:0 0 0 6px;text-decoration:underline;color:inherit}
.typing{font-size:12px;color:#5b5b66;min-height:1em;padding:0 14px}
.banner,.notice{margin:0 12px 8px;padding:8px 10px;border-radius:8px;font-size:13px}
.banner{background:#fff4e5;color:#5c3400}
.notice{background:#eef2ff;color:#1f2a5c}
.confirm{margin:0 12px 8px;padding:10px;border:1px solid #f0b4b4;border-radius:8px;background:#fff5f5;font-size:13px}
.row{display:flex;gap:8px;margin-top:8px}
.contact{margin:0 12px 8px;padding:10px;border:1px solid #d6d6de;border-radius:10px;font-size:13px}
.contact .row input{flex:1;min-width:0}
input,textarea{border:1px solid #b9b9c3;border-radius:8px;padding:8px 10px;background:#fff}
.compose{display:flex;gap:8px;padding:10px 12px;border-top:1px solid #e4e4ea}
textarea{flex:1;resize:none;height:42px;max-height:120px}
.primary{border:0;border-radius:8px;padding:0 14px;min-height:38px;background:var(--a);color:var(--on);font-weight:600}
.danger{border:0;border-radius:8px;padding:6px 12px;background:#b3261e;color:#fff}
.plain{border:1px solid #b9b9c3;border-radius:8px;padding:6px 12px;background:#fff}
@media (max-width:480px){.panel,.left .panel{inset:0;width:100%;height:100%;border-radius:0}}
@media (prefers-reduced-motion:no-preference){.panel{animation:in .16s ease-out}@keyframes in{from{opacity:0;transform:translateY(8px)}}}
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
