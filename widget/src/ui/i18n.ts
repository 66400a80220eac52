import type { WidgetLocale } from '@cloop/contracts';

const en = {
  open: 'Open chat',
  close: 'Close chat',
  aiNotice: 'AI assistant',
  messages: 'Messages',
  messageLabel: 'Your message',
  placeholder: 'Type a message…',
  send: 'Send',
  you: 'You',
  agent: 'Team',
  sources: 'Sources',
  typing: '{name} is typing…',
  sending: 'Sending…',
  queued: 'Waiting for the network',
  failed: 'Not sent.',
  retry: 'Retry',
  offline: 'Offline. Messages will be sent when the connection returns.',
  unavailable: 'The chat is not available right now.',
  emailPrompt: 'Leave your email and the team will get back to you.',
  emailSave: 'Send email',
  emailSaved: 'Thanks! The team will contact you at {email}.',
  notNow: 'Not now',
  unread: '{n} new',
  menu: 'Privacy options',
  download: 'Download my data',
  erase: 'Delete my data',
  privacyNotice: 'Privacy notice',
  confirmErase: 'Delete your chat and all data about you? This cannot be undone.',
  confirm: 'Delete',
  cancel: 'Cancel',
  erased: 'Your data was deleted.',
  nothingStored: 'Nothing is stored about you yet.',
  exported: 'Your data was downloaded.',
  actionFailed: 'That failed. Please try again.',
};

export type Texts = typeof en;

const fi: Texts = {
  open: 'Avaa chat',
  close: 'Sulje chat',
  aiNotice: 'Tekoälyavustaja',
  messages: 'Viestit',
  messageLabel: 'Viestisi',
  placeholder: 'Kirjoita viesti…',
  send: 'Lähetä',
  you: 'Sinä',
  agent: 'Tiimi',
  sources: 'Lähteet',
  typing: '{name} kirjoittaa…',
  sending: 'Lähetetään…',
  queued: 'Odottaa verkkoyhteyttä',
  failed: 'Ei lähetetty.',
  retry: 'Yritä uudelleen',
  offline: 'Ei yhteyttä. Viestit lähtevät, kun yhteys palaa.',
  unavailable: 'Chat ei ole nyt käytettävissä.',
  emailPrompt: 'Jätä sähköpostiosoitteesi, niin tiimi ottaa sinuun yhteyttä.',
  emailSave: 'Lähetä osoite',
  emailSaved: 'Kiitos! Tiimi ottaa yhteyttä osoitteeseen {email}.',
  notNow: 'Ei nyt',
  unread: '{n} uutta',
  menu: 'Tietosuoja-asetukset',
  download: 'Lataa tietoni',
  erase: 'Poista tietoni',
  privacyNotice: 'Tietosuojaseloste',
  confirmErase: 'Poistetaanko keskustelusi ja kaikki tietosi? Tätä ei voi perua.',
  confirm: 'Poista',
  cancel: 'Peruuta',
  erased: 'Tietosi poistettiin.',
  nothingStored: 'Sinusta ei ole vielä tallennettu mitään.',
  exported: 'Tietosi ladattiin.',
  actionFailed: 'Se ei onnistunut. Yritä uudelleen.',
};

/** The site's language, or with `auto` the first of the browser's languages that we speak. */
export function chooseLanguage(setting: WidgetLocale, browser: readonly string[]): 'en' | 'fi' {
  if (setting !== 'auto') return setting;
  for (const tag of browser) {
    const language = tag.toLowerCase().slice(0, 2);
    if (language === 'fi' || language === 'en') return language;
  }
  return 'en';
}

export function textsFor(language: 'en' | 'fi'): Texts {
  return language === 'fi' ? fi : en;
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}
