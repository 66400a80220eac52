import { h } from './dom';

/**
 * The widget's whole stylesheet, scoped by the Shadow DOM: nothing leaks out, and the host page's
 * rules cannot reach in. `--a` / `--on` are the site's colour and its readable text colour.
 */
export const STYLES = `
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.w{--bg:#fff;--fg:#1b1b1f;--m:#f0f0f4;--b:#b9b9c3;--l:#d6d6de;--g:#e6f4ea;--k:#1a4fb0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);-webkit-font-smoothing:antialiased}
@media (prefers-color-scheme:dark){.w{--bg:#1c1c21;--fg:#ececf1;--m:#2d2d34;--b:#6b6b76;--l:#3b3b44;--g:#1e3a29;--k:#9cc0ff}}
button,input,textarea{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:3px solid #1a5fd6;outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher,.preview{position:fixed;bottom:20px;right:20px;border:0;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher{width:56px;height:56px;border-radius:50%;background:var(--a);color:var(--on);display:flex;align-items:center;justify-content:center}
.launcher svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;padding:2px 6px;border-radius:11px;background:#b3261e;color:#fff;font-size:12px;font-weight:700}
.preview{bottom:86px;max-width:260px;padding:10px 14px;border-radius:14px;background:var(--bg);text-align:left;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.panel{position:fixed;bottom:20px;right:20px;width:370px;height:min(620px,calc(100vh - 40px));display:flex;flex-direction:column;background:var(--bg);border-radius:14px;box-shadow:0 8px 32px rgba(0,0,0,.28);overflow:hidden}
.left .launcher,.left .panel,.left .preview{right:auto;left:20px}
header{display:flex;align-items:center;gap:8px;padding:12px 8px 12px 16px;background:var(--a);color:var(--on)}
.title{flex:1;min-width:0}
.name{font-weight:600;font-size:16px;margin:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.ai{font-size:12px;opacity:.9}
.icon{width:36px;height:36px;border:0;border-radius:8px;background:0;display:flex;align-items:center;justify-content:center}
.icon:hover{background:rgba(127,127,127,.25)}
.icon svg{width:20px;height:20px;fill:currentColor}
.menu{position:absolute;top:4px;right:8px;z-index:1;min-width:200px;background:var(--bg);border:1px solid var(--l);border-radius:10px;box-shadow:0 6px 20px rgba(0,0,0,.18);display:flex;flex-direction:column;padding:4px}
.menu button,.menu a{padding:10px 12px;border:0;border-radius:6px;background:0;text-align:left;color:var(--fg);text-decoration:none}
.menu button:hover,.menu a:hover{background:var(--m)}
.body{position:relative;flex:1;display:flex;flex-direction:column;min-height:0}
.scroll{flex:1;overflow-y:auto;padding:16px 12px;display:flex;flex-direction:column;gap:10px}
.log,.drafts{display:flex;flex-direction:column;gap:10px}
.msg{max-width:85%;padding:8px 12px;border-radius:14px;background:var(--m);white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}
.msg.visitor{align-self:flex-end;background:var(--a);color:var(--on)}
.msg.agent{background:var(--g)}
.who{display:block;font-size:12px;font-weight:600;opacity:.8}
.sources{margin-top:6px;font-size:12px}
.sources>*{display:block}
.sources a{color:var(--k)}
.meta{font-size:12px;opacity:.85;margin-top:2px}
.meta button,.banner button{border:0;background:0;padding:0 0 0 6px;text-decoration:underline}
.typing{font-size:12px;opacity:.8;min-height:1em;padding:0 14px}
.banner,.notice,.confirm,.contact{margin:0 12px 8px;padding:8px 10px;border-radius:8px;font-size:13px}
.banner{background:#fff4e5;color:#5c3400}
.notice{background:#eef2ff;color:#1f2a5c}
.confirm{border:1px solid #f0b4b4;background:#fff5f5;color:#1b1b1f}
.row{display:flex;gap:8px;margin-top:8px}
.contact{border:1px solid var(--l)}
.contact input{flex:1;min-width:0}
input,textarea,.plain{border:1px solid var(--b);border-radius:8px;padding:8px 10px;background:var(--bg)}
.compose{display:flex;gap:8px;padding:10px 12px;border-top:1px solid var(--l)}
textarea{flex:1;resize:none;height:42px;max-height:120px}
.primary{border:0;border-radius:8px;padding:0 14px;min-height:38px;background:var(--a);color:var(--on);font-weight:600}
.danger{border:0;border-radius:8px;padding:6px 12px;background:#b3261e;color:#fff}
@media (max-width:480px){.panel,.left .panel{inset:0;width:100%;height:100%;border-radius:0}input,textarea{font-size:16px}}
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
