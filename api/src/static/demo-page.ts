/**
 * The demo page at `/`: a static page that embeds a site's widget, for the console's "Try it" link
 * (`/?siteKey=<publicKey>`). No cookies, no tracking, nothing from other origins, no inline script:
 * `demo.js` reads the key from the address and adds the same one-line embed a customer would paste.
 */
export const DEMO_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // The widget talks to its API, which is this origin (REST and the realtime socket).
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DEMO_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cloop demo</title>
<link rel="stylesheet" href="/demo.css">
<script src="/demo.js" defer></script>
</head>
<body>
<main>
<h1>Cloop demo</h1>
<section id="with-key" hidden>
<p>This page embeds your site's chat widget: open it with the button in the bottom corner and ask something.
Conversations started here appear in your console's inbox.</p>
<p>The embed line on this page, the same you paste into your own site:</p>
<pre id="snippet"></pre>
</section>
<section id="without-key">
<p>This page shows a site's chat widget. To see yours, sign in to the console, open your site and follow
its <strong>Try it</strong> link, or add your site's public key to this address:
<code>/?siteKey=pk_…</code>.</p>
<p>No console yet? Create an account and a site through the API (see <a href="/api/docs">the API docs</a>):
<code>POST /api/v1/auth/signup</code>, then <code>POST /api/v1/sites</code>; the site's
<code>publicKey</code> goes into the address above.</p>
</section>
<p class="small">This page sets no cookies and loads nothing from other sites. The widget stores a random
visitor ID in this browser only once you use it.</p>
</main>
</body>
</html>
`;

export const DEMO_SCRIPT = `(function () {
  'use strict';
  var key = new URLSearchParams(location.search).get('siteKey');
  var valid = key !== null && /^pk_[A-Za-z0-9_-]{24}$/.test(key);
  document.getElementById('with-key').hidden = !valid;
  document.getElementById('without-key').hidden = valid;
  if (!valid) return;
  var src = location.origin + '/widget.js';
  document.getElementById('snippet').textContent =
    '<script src="' + src + '" data-site-key="' + key + '" async></' + 'script>';
  var script = document.createElement('script');
  script.src = src;
  script.async = true;
  script.setAttribute('data-site-key', key);
  document.body.appendChild(script);
})();
`;

export const DEMO_CSS = `body{margin:0;font:16px/1.55 system-ui,sans-serif;color:#1b1b1f;background:#f7f7fa}
main{max-width:42rem;margin:0 auto;padding:3rem 1.25rem}
h1{font-size:1.75rem;margin:0 0 1rem}
pre{white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #d6d6de;border-radius:8px;padding:.75rem;font-size:.85rem}
code{background:#eceef3;border-radius:4px;padding:0 .25rem}
.small{font-size:.85rem;color:#55556a}
`;
