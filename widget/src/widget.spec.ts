import type { WidgetConfig } from '@cloop/contracts';

import { API, CONFIG, FakeServer, FakeSocket, settle, SITE_KEY } from './testing/fakes';
import { startWidget } from './widget';

type TestWindow = Window & typeof globalThis;

function launch(config: Partial<WidgetConfig['widget']> = {}, leadCapture = false) {
  const server = new FakeServer();
  server.config = { ...CONFIG, widget: { ...CONFIG.widget, ...config }, leadCapture };
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

  it('shows an unread badge and a preview of a reply that arrives while closed, and marks it seen on open', async () => {
    const { server, find, shadow } = launch();
    localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-00000000cccc');
    sessionStorage.setItem(`cloop:open:${SITE_KEY}`, '0');
    server.reply('visitor', 'Is anyone there?');
    server.reply('assistant', 'Let me find someone.');
    server.seenSeq = 2;
    await settle(20);
    FakeSocket.latest().accept();
    expect(find<HTMLElement>('.badge').hidden).toBe(true);

    const reply = server.reply('agent', 'Hi, this is Sam. How can I help?');
    FakeSocket.latest().push({ type: 'message.created', siteId: 's', conversationId: 'c1', message: reply });
    expect(find('.badge').textContent).toBe('1');
    expect(find('.launcher').getAttribute('aria-label')).toBe('Open chat, 1 new');
    expect(find('.preview').textContent).toBe('Sam: Hi, this is Sam. How can I help?');

    find<HTMLButtonElement>('.preview').click();
    await settle(20);
    expect(shadow().activeElement).toBe(find('textarea'));
    expect(server.sent('PUT', '/seen').map((call) => call.body)).toEqual([{ conversationId: 'c1', seq: 3 }]);
    find<HTMLButtonElement>('header .icon:last-child').click();
    expect(find<HTMLElement>('.badge').hidden).toBe(true);
    expect(find<HTMLElement>('.preview').hidden).toBe(true);
  });

  it('counts replies the server says were not seen when the page loads with the panel closed', async () => {
    const { server, find } = launch();
    localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-00000000dddd');
    sessionStorage.setItem(`cloop:open:${SITE_KEY}`, '0');
    server.reply('visitor', 'Hello?');
    server.reply('assistant', 'Hi!');
    server.reply('agent', 'Sam here.');
    server.seenSeq = 1;
    await settle(20);
    expect(find('.badge').textContent).toBe('2');
    expect(find('.preview').textContent).toBe('Sam: Sam here.');
    expect(server.sent('PUT', '/seen')).toEqual([]);
  });

  it('shows a returning visitor in a new tab what is unread, asking the server without opening a session', async () => {
    const { server, find, shadow } = launch();
    localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-00000000d00d');
    server.reply('visitor', 'Hello?');
    server.reply('assistant', 'Hi!');
    server.reply('agent', 'Sam here, which order?');
    server.seenSeq = 1;
    await settle(20);
    expect(server.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET /config', 'GET /unread']);
    expect(server.calls[1]?.headers['X-Cloop-Visitor']).toBe('00000000-0000-4000-8000-00000000d00d');
    expect(find('.badge').textContent).toBe('2');
    expect(find('.launcher').getAttribute('aria-label')).toBe('Open chat, 2 new');
    expect(find('.preview').textContent).toBe('Sam: Sam here, which order?');
    expect(FakeSocket.all).toEqual([]);
    expect(sessionStorage.length).toBe(0);

    // Opening the chat loads the session as before: the whole history, live updates, marked seen.
    find<HTMLButtonElement>('.preview').click();
    await settle(20);
    expect(shadow().activeElement).toBe(find('textarea'));
    expect(find('.log').textContent).toContain('Sam here, which order?');
    expect(server.sent('POST', '/session')).toHaveLength(1);
    expect(server.sent('PUT', '/seen').map((call) => call.body)).toEqual([{ conversationId: 'c1', seq: 3 }]);
    FakeSocket.latest().accept();
    find<HTMLButtonElement>('header .icon:last-child').click();
    expect(find<HTMLElement>('.badge').hidden).toBe(true);
    const reply = server.reply('agent', 'Still there?');
    FakeSocket.latest().push({ type: 'message.created', siteId: 's', conversationId: 'c1', message: reply });
    expect(find('.badge').textContent).toBe('1');
    expect(find('.preview').textContent).toBe('Sam: Still there?');
  });

  it('shows no badge to a returning visitor with nothing unread, and asks for no session', async () => {
    const { server, find } = launch();
    localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-00000000f00d');
    server.reply('visitor', 'Hello?');
    server.reply('assistant', 'Hi!');
    server.seenSeq = 2;
    await settle(20);
    expect(server.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET /config', 'GET /unread']);
    expect(find<HTMLElement>('.badge').hidden).toBe(true);
    expect(find<HTMLElement>('.preview').hidden).toBe(true);
    expect(find('.launcher').getAttribute('aria-label')).toBe('Open chat');
  });

  it('chimes for a reply while closed only when the site turned the sound on', async () => {
    const started: number[] = [];
    class FakeAudio {
      currentTime = 0;
      destination = {};
      createOscillator() {
        return {
          frequency: {},
          connect: (node: unknown) => node,
          start: () => started.push(1),
          stop: () => undefined,
        };
      }
      createGain() {
        return {
          gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined },
          connect: (node: unknown) => node,
        };
      }
      close = () => undefined;
    }
    (window as { AudioContext?: unknown }).AudioContext = FakeAudio;
    for (const sound of [false, true]) {
      const { server, cloop } = launch({ sound });
      localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-00000000eeee');
      sessionStorage.setItem(`cloop:open:${SITE_KEY}`, '0');
      await settle(20);
      FakeSocket.latest().accept();
      const reply = server.reply('agent', 'Ping');
      FakeSocket.latest().push({
        type: 'message.created',
        siteId: 's',
        conversationId: 'c1',
        message: reply,
      });
      cloop.destroy();
      document.querySelectorAll('cloop-widget').forEach((element) => element.remove());
    }
    expect(started).toEqual([1]);
  });

  it("greets and names the assistant in the visitor's language when the site set texts for it", async () => {
    jest.spyOn(navigator, 'languages', 'get').mockReturnValue(['fi-FI']);
    const { find } = launch({
      locale: 'auto',
      languages: {
        fi: { greeting: 'Hei! Miten voin auttaa?', assistantName: 'Avustaja' },
        en: { greeting: 'Hi!' },
      },
    });
    await settle();
    find<HTMLButtonElement>('.launcher').click();
    expect(find('.name').textContent).toBe('Avustaja');
    expect(find('.log').textContent).toContain('Hei! Miten voin auttaa?');
  });

  it('falls back to the default greeting and name for a language the site left empty', async () => {
    const { find } = launch({ locale: 'en', languages: { en: { greeting: '' }, fi: { greeting: 'Hei!' } } });
    await settle();
    find<HTMLButtonElement>('.launcher').click();
    expect(find('.name').textContent).toBe('Ada');
    expect(find('.log').textContent).toContain('Hi! Ask me anything.');
  });

  it('folds the email form away when the visitor says not now', async () => {
    const { server, find } = launch({}, true);
    localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-00000000ffff');
    server.reply('visitor', 'Hello');
    server.reply('assistant', 'Hi!');
    await settle();
    find<HTMLButtonElement>('.launcher').click();
    await settle(20);
    expect(find<HTMLElement>('.contact').hidden).toBe(false);
    find<HTMLButtonElement>('.contact .plain').click();
    expect(find<HTMLElement>('.contact').hidden).toBe(true);
  });

  it('thanks the visitor for an email only until the chat moves on', async () => {
    const { server, find } = launch({}, true);
    localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-000000000abc');
    server.reply('visitor', 'Hello');
    server.reply('assistant', 'Hi!');
    await settle();
    find<HTMLButtonElement>('.launcher').click();
    await settle(20);
    find<HTMLInputElement>('.contact input').value = 'ada@example.test';
    find('.contact').dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(20);
    expect(find<HTMLElement>('.contact').hidden).toBe(true);
    expect(find<HTMLElement>('.notice[role=status]:not([hidden])').textContent).toContain('ada@example.test');

    FakeSocket.latest().accept();
    const reply = server.reply('agent', 'Thanks, we will write.');
    FakeSocket.latest().push({ type: 'message.created', siteId: 's', conversationId: 'c1', message: reply });
    expect([...find('.body').querySelectorAll('.notice')].every((n) => (n as HTMLElement).hidden)).toBe(true);
  });

  it("names a refused message's state and an action's outcome in the visitor's language", async () => {
    jest.spyOn(navigator, 'languages', 'get').mockReturnValue(['fi-FI']);
    const { server, find } = launch({ locale: 'auto' });
    localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-0000000000f1');
    await settle();
    find<HTMLButtonElement>('.launcher').click();
    await settle(20);
    FakeSocket.latest().accept();
    server.refuseNextSend = { status: 422, code: 'INVALID_INPUT' };
    find<HTMLTextAreaElement>('textarea').value = 'Hei';
    find('.compose').dispatchEvent(new Event('submit', { cancelable: true }));
    expect(find('.msg.visitor .meta').textContent).toBe('Lähetetään…');
    await settle(40);
    expect(find('.msg.visitor .meta').textContent).toBe('Ei lähetetty.Yritä uudelleen');

    // Nothing to export for a visitor the server does not know.
    localStorage.clear();
    find<HTMLButtonElement>('[aria-haspopup]').click();
    find<HTMLButtonElement>('.menu button').click();
    await settle(20);
    expect(find('.notice[role=status]:not([hidden])').textContent).toBe(
      'Sinusta ei ole vielä tallennettu mitään.',
    );
  });

  it('names a citation without an address as text and links the others to a new tab', async () => {
    const { server, find, shadow } = launch();
    localStorage.setItem(`cloop:visitor:${SITE_KEY}`, '00000000-0000-4000-8000-000000000def');
    server.reply('assistant', 'From our FAQ.', {
      citations: [
        { title: 'Returns FAQ', url: null },
        { title: 'Shipping', url: 'https://shop.example/shipping' },
      ],
    });
    await settle();
    find<HTMLButtonElement>('.launcher').click();
    await settle(20);
    const sources = [...shadow().querySelectorAll('.sources > :not(.sr)')];
    expect(sources.map((el) => [el.tagName, el.textContent, el.getAttribute('target')])).toEqual([
      ['SPAN', 'Returns FAQ', null],
      ['A', 'Shipping', '_blank'],
    ]);
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
