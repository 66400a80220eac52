import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { I18n } from './i18n';
import { TranslatePipe } from './t.pipe';

@Component({
  selector: 'cl-pipe-host',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<h1>{{ 'nav.inbox' | t }}</h1>
    <p>{{ 'privacy.erased' | t: { count: 3 } }}</p>`,
})
class PipeHostComponent {}

describe('the t pipe', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.lang = 'en';
  });

  it('puts the message in the language chosen, and follows a change of language in an OnPush view', async () => {
    const fixture = TestBed.createComponent(PipeHostComponent);
    await fixture.whenStable();
    const text = () =>
      [...(fixture.nativeElement as HTMLElement).children].map((element) => element.textContent).join(' ');
    expect(text()).toBe('Inbox Erased: 3 records.');

    TestBed.inject(I18n).setLocale('fi');
    await fixture.whenStable();

    expect(text()).toBe('Saapuneet Poistettu: 3 tietuetta.');
  });
});
