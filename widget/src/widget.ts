import { ApiClient, ApiError } from './core/api-client';
import { ChatSession } from './core/session';
import { createVisitorStorage } from './core/storage';
import { ChatStore } from './core/store';
import { newUuid } from './core/uuid';
import { guard } from './guard';
import { chooseLanguage, textsFor } from './ui/i18n';
import { WidgetView } from './ui/widget-view';

/** `window.Cloop`: the widget's only global. */
export interface CloopApi {
  open(): void;
  close(): void;
  destroy(): void;
}

/**
 * Starts the widget for one site: asks for the public config (the only request before the visitor
 * interacts), then draws the launcher in a shadow root. If the config cannot be loaded, the widget
 * stays hidden and the page carries on.
 */
export function startWidget(siteKey: string, apiOrigin: string, win: Window & typeof globalThis): CloopApi {
  const api = new ApiClient(apiOrigin, siteKey, (url, init) => win.fetch(url, init));
  const newId = () => newUuid(win.crypto);
  const storage = createVisitorStorage(
    siteKey,
    () => win.localStorage,
    () => win.sessionStorage,
    newId,
  );
  let view: WidgetView | null = null;
  let session: ChatSession | null = null;
  let host: HTMLElement | null = null;
  let wanted: boolean | null = null;
  let destroyed = false;
  const online = guard(() => session?.online());

  const mount = (config: Awaited<ReturnType<ApiClient['config']>>) => {
    if (destroyed) return;
    host = win.document.createElement('cloop-widget');
    // Inline and !important: the host page's `* { all: unset }` or `div { display: none }` cannot undo it.
    host.style.cssText =
      'all:initial;display:block;position:fixed;z-index:2147483647;width:0;height:0;bottom:0;right:0'
        .split(';')
        .map((rule) => `${rule}!important`)
        .join(';');
    const root = host.attachShadow({ mode: 'open' });
    const store = new ChatStore(config);
    const chat = new ChatSession({
      apiOrigin,
      siteKey,
      api,
      storage,
      store,
      createSocket: (url) => new win.WebSocket(url),
      newId,
      entryUrl: win.location.href,
      locale: win.navigator.language,
    });
    session = chat;
    const lang = chooseLanguage(config.widget.locale, win.navigator.languages ?? []);
    view = new WidgetView({
      root,
      store,
      session: chat,
      texts: textsFor(lang),
      lang,
      guard,
      onToggle: (open) => {
        storage.rememberOpen(open);
        if (open) void chat.start(false).catch(() => undefined);
      },
    });
    win.document.body.append(host);
    win.addEventListener('online', online);
    // Opened earlier in this tab (on another page of the site): carry on where the visitor was.
    // Otherwise a returning visitor's launcher shows what is unread, and nothing is created.
    const before = storage.wasOpen();
    void (before !== null ? chat.start(false) : chat.peek()).catch(() => undefined);
    if (wanted ?? before) view.open(wanted === true);
  };

  const whenBodyExists = (work: () => void) => {
    if (win.document.body) work();
    else win.document.addEventListener('DOMContentLoaded', work, { once: true });
  };

  api.config().then(
    (config) => whenBodyExists(guard(() => mount(config))),
    (error: unknown) => {
      // Tell the site's developer why the launcher is missing; visitors see nothing.
      if (error instanceof ApiError && error.status < 500) win.console.warn(`Cloop widget: ${error.code}`);
    },
  );

  return {
    open: guard(() => (view ? view.open(true) : (wanted = true))),
    close: guard(() => (view ? view.close() : (wanted = false))),
    destroy: guard(() => {
      destroyed = true;
      session?.stop();
      host?.remove();
      win.removeEventListener('online', online);
      view = null;
      session = null;
      if ((win as { Cloop?: unknown }).Cloop) delete (win as { Cloop?: unknown }).Cloop;
    }),
  };
}
