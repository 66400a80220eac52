import { computed, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { MeResponse, Role, UnansweredQuestion } from '@cloop/contracts';

import { AuthStore } from '../../core/auth/auth.store';
import { Realtime } from '../../core/realtime/realtime';
import { SiteContext } from '../../core/site/site-context';
import { createAuthResponse, createSite, createUnansweredQuestion, settle } from '../../testing/factories';
import { KnowledgeApi } from './knowledge.api';
import { KnowledgePage } from './knowledge.page';
import { KnowledgeStore } from './knowledge.store';

/** The page for one site of org-1, seen by someone with `role` there, listing `questions`. */
async function render(role: Role, questions: UnansweredQuestion[]) {
  const site = createSite({ organizationId: 'org-1' });
  const me: MeResponse = {
    user: createAuthResponse().user,
    organizations: [{ id: 'org-1', name: 'Northwind', role }],
  };
  const api = {
    sources: jest.fn(() => Promise.resolve([])),
    unanswered: jest.fn(() => Promise.resolve(questions)),
    dismissUnanswered: jest.fn((): Promise<unknown> => Promise.resolve(null)),
  };
  const siteSignal = signal(site);
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      KnowledgeStore,
      { provide: KnowledgeApi, useValue: api },
      { provide: Realtime, useValue: { on: () => () => undefined } },
      { provide: AuthStore, useValue: { me: signal(me), loadMe: () => Promise.resolve(me) } },
      { provide: SiteContext, useValue: { site: siteSignal, siteId: computed(() => siteSignal().id) } },
    ],
  });
  const fixture = TestBed.createComponent(KnowledgePage);
  await fixture.whenStable();
  await settle();
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  return { api, fixture, element, site };
}

describe('KnowledgePage', () => {
  it.each<Role>(['owner', 'admin'])(
    'offers an %s "Answer it" and "Dismiss" on each unanswered question',
    async (role) => {
      const question = createUnansweredQuestion({ question: 'Gift cards?' });
      const { api, fixture, element, site } = await render(role, [question, createUnansweredQuestion()]);
      expect(element.querySelectorAll('[data-testid=unanswered-row]')).toHaveLength(2);
      expect(element.querySelectorAll('[data-testid=answer-this]')).toHaveLength(2);
      const dismiss = element.querySelector<HTMLButtonElement>('[data-testid=dismiss-unanswered]');
      expect(dismiss?.getAttribute('aria-label')).toBe('Dismiss: Gift cards?');

      dismiss?.click();
      await fixture.whenStable();
      expect(api.dismissUnanswered).toHaveBeenCalledWith(site.id, question.id);
      expect(element.querySelectorAll('[data-testid=unanswered-row]')).toHaveLength(1);
      expect(element.textContent).not.toContain('Gift cards?');
    },
  );

  it('shows a member the unanswered questions without "Answer it" or "Dismiss"', async () => {
    const { element } = await render('member', [createUnansweredQuestion()]);
    expect(element.querySelectorAll('[data-testid=unanswered-row]')).toHaveLength(1);
    expect(element.querySelector('[data-testid=answer-this]')).toBeNull();
    expect(element.querySelector('[data-testid=dismiss-unanswered]')).toBeNull();
  });
});
