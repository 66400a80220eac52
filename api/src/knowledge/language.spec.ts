import { detectLanguage } from './language';

describe('document language', () => {
  it('tells English from Finnish by their commonest words', () => {
    expect(detectLanguage('You can return the mug within 30 days and we refund it.')).toBe('english');
    expect(detectLanguage('Voit palauttaa mukin 30 päivän kuluessa, ja se on ilmaista.')).toBe('finnish');
  });

  it('takes English when there is nothing to tell by', () => {
    expect(detectLanguage('123 456')).toBe('english');
  });
});
