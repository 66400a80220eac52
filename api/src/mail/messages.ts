import { type MailLocale, PASSWORD_RESET_TTL_MINUTES } from '@cloop/contracts';

/** One message, ready for the transport: the same words as plain text and as HTML. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What each kind of message needs; links are absolute URLs into the console. */
export type MailContent =
  | { kind: 'password-reset'; name: string; link: string }
  | { kind: 'verify-email'; name: string; link: string }
  | { kind: 'invitation'; organizationName: string; inviterName: string; link: string }
  | { kind: 'invitation-pending'; organizationName: string; inviterName: string; link: string }
  | { kind: 'lead'; siteName: string; reason: 'contact' | 'email'; link: string; preferencesLink: string };

interface Words {
  subject: string;
  greeting: string | null;
  paragraphs: string[];
  action: string;
  footer: string;
}

function words(content: MailContent, locale: MailLocale): Words {
  const fi = locale === 'fi';
  switch (content.kind) {
    case 'password-reset':
      return fi
        ? {
            subject: 'Cloop-salasanan vaihto',
            greeting: `Hei ${content.name},`,
            paragraphs: [
              'Joku (toivottavasti sinä) pyysi Cloop-tilisi salasanan vaihtoa.',
              `Linkki toimii kerran ${PASSWORD_RESET_TTL_MINUTES} minuutin ajan. Vaihdon jälkeen kaikki istuntosi kirjataan ulos.`,
            ],
            action: 'Vaihda salasana',
            footer: 'Jos et pyytänyt vaihtoa, voit jättää tämän viestin huomiotta: salasanasi ei muutu.',
          }
        : {
            subject: 'Reset your Cloop password',
            greeting: `Hi ${content.name},`,
            paragraphs: [
              'Someone (hopefully you) asked to reset the password of your Cloop account.',
              `The link works once, for ${PASSWORD_RESET_TTL_MINUTES} minutes. Every session of yours is signed out after the reset.`,
            ],
            action: 'Choose a new password',
            footer: 'If you did not ask for this, ignore this message: your password stays as it is.',
          };
    case 'verify-email':
      return fi
        ? {
            subject: 'Vahvista sähköpostiosoitteesi Cloopissa',
            greeting: `Hei ${content.name},`,
            paragraphs: ['Vahvista, että tämä osoite kuuluu sinulle, avaamalla alla oleva linkki.'],
            action: 'Vahvista osoite',
            footer: 'Jos et luonut Cloop-tiliä, voit jättää tämän viestin huomiotta.',
          }
        : {
            subject: 'Confirm your e-mail address for Cloop',
            greeting: `Hi ${content.name},`,
            paragraphs: ['Please confirm that this address is yours by opening the link below.'],
            action: 'Confirm my address',
            footer: 'If you did not create a Cloop account, ignore this message.',
          };
    case 'invitation':
      return fi
        ? {
            subject: `Kutsu organisaatioon ${content.organizationName} Cloopissa`,
            greeting: null,
            paragraphs: [
              `${content.inviterName} kutsui sinut organisaatioon ${content.organizationName} Cloopissa.`,
              'Linkki on henkilökohtainen ja toimii kerran. Luo sillä tili tai kirjaudu, niin liityt.',
            ],
            action: 'Hyväksy kutsu',
            footer: 'Jos et odottanut kutsua, voit jättää tämän viestin huomiotta.',
          }
        : {
            subject: `You are invited to ${content.organizationName} on Cloop`,
            greeting: null,
            paragraphs: [
              `${content.inviterName} invited you to join ${content.organizationName} on Cloop.`,
              'The link is personal and works once: create your account (or sign in) with it to join.',
            ],
            action: 'Accept the invitation',
            footer: 'If you were not expecting this, ignore this message.',
          };
    case 'invitation-pending':
      return fi
        ? {
            subject: `Kutsu organisaatioon ${content.organizationName} Cloopissa`,
            greeting: null,
            paragraphs: [
              `${content.inviterName} kutsui sinut organisaatioon ${content.organizationName} Cloopissa.`,
              'Kirjaudu Cloopiin ja hyväksy tai hylkää kutsu.',
            ],
            action: 'Avaa kutsut',
            footer: 'Et liity mihinkään ennen kuin hyväksyt kutsun.',
          }
        : {
            subject: `You are invited to ${content.organizationName} on Cloop`,
            greeting: null,
            paragraphs: [
              `${content.inviterName} invited you to join ${content.organizationName} on Cloop.`,
              'Sign in to Cloop to accept or decline the invitation.',
            ],
            action: 'See my invitations',
            footer: 'You join nothing until you accept.',
          };
    case 'lead': {
      const what = {
        contact: fi ? 'pyysi yhteydenottoa' : 'asked to be contacted',
        email: fi ? 'jätti sähköpostiosoitteensa' : 'left their e-mail address',
      }[content.reason];
      return fi
        ? {
            subject: `Uusi liidi: ${content.siteName}`,
            greeting: null,
            paragraphs: [`Vierailija sivustolla ${content.siteName} ${what}.`],
            action: 'Avaa keskustelu',
            footer: `Et halua näitä viestejä? Muuta asetusta: ${content.preferencesLink}`,
          }
        : {
            subject: `New lead on ${content.siteName}`,
            greeting: null,
            paragraphs: [`A visitor on ${content.siteName} ${what}.`],
            action: 'Open the conversation',
            footer: `Don't want these e-mails? Change the setting: ${content.preferencesLink}`,
          };
    }
  }
}

/** The message in the recipient's language; every value is escaped in the HTML part. */
export function renderMail(content: MailContent, locale: MailLocale): RenderedMail {
  const w = words(content, locale);
  const lines = [w.greeting, ...w.paragraphs].filter((line): line is string => line !== null);
  const text = [...lines, '', `${w.action}: ${content.link}`, '', '--', w.footer, ''].join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="${locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a">`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><a href="${escapeHtml(content.link)}" style="display:inline-block;padding:8px 16px;background:#2457d6;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(w.action)}</a></p>`,
    `<p style="font-size:13px;color:#555">${escapeHtml(content.link)}</p>`,
    `<hr><p style="font-size:13px;color:#555">${escapeHtml(w.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  // A subject is one header line: names typed by users must not add another.
  return { subject: w.subject.replace(/[\r\n]+/g, ' '), text, html };
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
