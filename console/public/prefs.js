// Runs synchronously in <head>, before the first paint: the remembered theme and language
// (DESIGN §11: cloop.theme, cloop.locale) go onto <html> so the page never flashes the wrong ones.
(function () {
  var root = document.documentElement;
  var theme = null;
  var locale = null;
  try {
    theme = window.localStorage.getItem('cloop.theme');
    locale = window.localStorage.getItem('cloop.locale');
  } catch (e) {
    // Storage blocked: fall back to the browser's preferences.
  }
  if (theme !== 'light' && theme !== 'dark') {
    theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  if (locale !== 'en' && locale !== 'fi') {
    locale = /^fi\b/i.test(navigator.language || '') ? 'fi' : 'en';
  }
  root.setAttribute('data-theme', theme);
  root.setAttribute('lang', locale);
})();
