import { type MailContent, renderMail } from './messages';

describe('e-mail messages', () => {
  const invitation: MailContent = {
    kind: 'invitation',
    organizationName: 'Acme <script>alert(1)</script>',
    inviterName: 'Ada\r\nBcc: victim@example.test',
    link: 'https://cloop.example.test/console/accept-invitation#token=a.b',
  };

  it('writes English and Finnish, as plain text and HTML with the link in both', () => {
    const en = renderMail(invitation, 'en');
    const fi = renderMail(invitation, 'fi');
    expect(en.subject).toContain('You are invited');
    expect(fi.subject).toContain('Kutsu organisaatioon');
    for (const mail of [en, fi]) {
      expect(mail.text).toContain(invitation.link);
      expect(mail.html).toContain(invitation.link);
    }
    expect(fi.html).toContain('lang="fi"');
  });

  it('escapes names in the HTML and keeps the subject on one line', () => {
    const mail = renderMail(invitation, 'en');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});
