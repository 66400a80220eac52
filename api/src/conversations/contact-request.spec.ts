import { asksForContact } from './contact-request';

describe('asksForContact', () => {
  it.each([
    'Can I talk to a human?',
    'I want to speak with someone from sales',
    'Please contact me about pricing',
    'Could you email me the offer?',
    'How do I get in touch?',
    'Is there a real person here?',
    'Voinko puhua ihmisen kanssa?',
    'Ottakaa minuun yhteyttä',
    'Haluan yhteydenoton myyjältä',
    'Soittakaa minulle huomenna',
    'Saisinko asiakaspalvelun?',
  ])('recognises "%s"', (text) => {
    expect(asksForContact(text)).toBe(true);
  });

  it.each([
    'What are your opening hours?',
    'Do you ship to Finland?',
    'Mitkä ovat aukioloajat?',
    'Paljonko toimitus maksaa?',
    'The contact form is broken',
  ])('leaves "%s" alone', (text) => {
    expect(asksForContact(text)).toBe(false);
  });
});
