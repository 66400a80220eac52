import type { WidgetConfig } from '@cloop/contracts';

import { API, CONFIG, FakeServer, FakeSocket, settle, SITE_KEY } from './testing/fakes';
import { startWidget } from './widget';

type TestWindow = Window & typeof globalThis;

function launch(config: Partial<WidgetConfig['widget']> = {}, leadCapture = false) {
  const server = new FakeServer();
  const answerConfig = server.fetch;
  const win = window as TestWindow;
  win.fetch = (async (url: string, init: RequestInit) => {
    const response = await answerConfig(url, init);
    if (!url.endsWith('/config')) return response;
    const body = { ...CONFIG, widget: { ...CONFIG.widget, ...config }, leadCapture };
    return { ...response, json: () => Promise.resolve(body) } as Response;
  }) as typeof fetch;
  win.WebSocket = FakeSocket as unknown as typeof WebSocket;
  const cloop = startWidget(SITE_KEY, API, win);
  const shadow = () => {
    const root = document.querySelector('cloop-widget')?.shadowRoot;
    if (!root) throw new Error('widget not mounted');
    return root;
  };
  const find = <T extends Element>(selector: string) => {
    const element = shadow().querySelector<T>(selector);
    if (!element) throw new Error(`no ${selector}`);
    return element;
  };
  return { server, cloop, shadow, find };
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  FakeSocket.all = [];
});
afterEach(() => {
  (window as { Cloop?: { destroy(): void } }).Cloop?.destroy();
  document.querySelectorAll('cloop-widget').forEach((element) => element.remove());
});

describe('the widget on a page', () => {
  it('asks only for the config and stores nothing until the visitor interacts', async () => {
    const { server, find } = launch();
    await settle();
    expect(server.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET /config']);
    expect(server.calls[0]?.headers).toEqual({ 'X-Cloop-Site-Key': SITE_KEY });
    expect(find('.launcher').getAttribute('aria-label')).toBe('Open chat');
    expect([localStorage.length, sessionStorage.length, document.cookie]).toEqual([0, 0, '']);
  });

  it('puts the focus in the message box on open, and Escape closes and returns it to the launcher', async () => {
    const { find, shadow } = launch();
    await settle();
    find<HTMLButtonElement>('.launcher').click();
    expect(shadow().activeElement).toBe(find('textarea'));
    expect(find('.panel').getAttribute('role')).toBe('dialog');
    expect(sessionStorage.getItem(`cloop:open:${SITE_KEY}`)).toBe('1');
    expect(localStorage.length).toBe(0);

    find('textarea').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(find<HTMLElement>('.panel').hidden).toBe(true);
    expect(shadow().activeElement).toBe(find('.launcher'));
    expect(sessionStorage.getItem(`cloop:open:${SITE_KEY}`)).toBe('0');
  });

  it('keeps Tab inside the open panel', async () => {
    const { find, shadow } = launch();
    await settle();
    find<HTMLButtonElement>('.launcher').click();
    const send = find<HTMLButtonElement>('.compose .primary');
    send.focus();
    send.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }));
    expect(shadow().activeElement).toBe(find('header .icon'));
  });

  it('shows markup in a message as text and links only http(s) citations', async () => {
    const { server, find, shadow } = launch();
    localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-00000000aaaa');
    server.reply('visitor', '<img src=x onerror=alert(1)>');
    server.reply('assistant', 'See the sources.', {
      citations: [
        { title: 'Shipping', url: 'https://shop.example/shipping' },
        { title: 'Evil', url: 'javascript:alert(1)' },
      ],
    });
    await settle();
    find<HTMLButtonElement>('.launcher').click();
    await settle(20);

    expect(shadow().querySelector('img')).toBeNull();
    expect(find('.log').textContent).toContain('<img src=x onerror=alert(1)>');
    const links = [...shadow().querySelectorAll<HTMLAnchorElement>('.sources a')];
    expect(links.map((link) => [link.textContent, link.href, link.rel])).toEqual([
      ['Shipping', 'https://shop.example/shipping', 'noopener noreferrer'],
    ]);
    expect(find('.log').getAttribute('aria-live')).toBe('polite');
  });

  it('speaks Finnish when the site says auto and the browser prefers Finnish', async () => {
    jest.spyOn(navigator, 'languages', 'get').mockReturnValue(['fi-FI', 'en']);
    const { find } = launch({ locale: 'auto' });
    await settle();
    expect(find('.launcher').getAttribute('aria-label')).toBe('Avaa chat');
  });

  it('offers the email form when the visitor asks for contact', async () => {
    const { server, find } = launch();
    localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-00000000bbbb');
    await settle();
    find<HTMLButtonElement>('.launcher').click();
    await settle(20);
    expect(find<HTMLElement>('.contact').hidden).toBe(true);

    FakeSocket.latest().accept();
    const conversation = { ...server.conversation, phase: 'requesting_contact' as const };
    FakeSocket.latest().push({
      type: 'conversation.updated',
      siteId: 's',
      conversationId: 'c1',
      conversation,
    });
    expect(find<HTMLElement>('.contact').hidden).toBe(false);
  });

  it('takes its colour and side from the site settings', async () => {
    const { find } = launch({ color: '#ffdd00', position: 'bottom-left' });
    await settle();
    const wrapper = find<HTMLElement>('.w');
    expect(wrapper.className).toBe('w left');
    expect(wrapper.style.getPropertyValue('--a')).toBe('#ffdd00');
    expect(wrapper.style.getPropertyValue('--on')).toBe('#111');
  });

  it('stays hidden when the API cannot be reached, and destroy() removes every trace', async () => {
    const win = window as TestWindow;
    win.fetch = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    const cloop = startWidget(SITE_KEY, API, win);
    await settle();
    expect(document.querySelector('cloop-widget')).toBeNull();
    cloop.open();
    cloop.destroy();
    expect(document.querySelector('cloop-widget')).toBeNull();
  });
});
