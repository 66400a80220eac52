import {
  DEFAULT_RETENTION_DAYS,
  type CreateSiteRequest,
  type Site,
  type UpdateSiteRequest,
  type WidgetLanguage,
  type WidgetLanguageTexts,
  type WidgetSettings,
} from '@cloop/contracts';

/** What the site form edits: text fields as the user typed them. */
export interface SiteDraft {
  name: string;
  origins: string;
  widget: WidgetSettings;
  leadCapture: boolean;
  retentionDays: number;
}

export function draftOf(site: Site | null, consoleOrigin: string): SiteDraft {
  if (site) {
    return {
      name: site.name,
      origins: site.allowedOrigins.join('\n'),
      widget: { ...site.widget },
      leadCapture: site.leadCapture,
      retentionDays: site.retentionDays,
    };
  }
  // This server's own origin is allowed from the start, so "Try it" on the demo page works at once.
  return {
    name: '',
    origins: consoleOrigin,
    widget: {
      color: '#4f46e5',
      position: 'bottom-right',
      greeting: 'Hi! How can we help?',
      assistantName: 'Assistant',
      locale: 'auto',
      privacyUrl: null,
      languages: {},
      sound: false,
    },
    leadCapture: true,
    retentionDays: DEFAULT_RETENTION_DAYS,
  };
}

export function originsOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((origin) => origin.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    ),
  ];
}

export function updateOf(draft: SiteDraft): UpdateSiteRequest {
  return {
    name: draft.name.trim(),
    allowedOrigins: originsOf(draft.origins),
    widget: {
      ...draft.widget,
      privacyUrl: draft.widget.privacyUrl?.trim() || null,
      languages: languagesOf(draft.widget.languages),
    },
    leadCapture: draft.leadCapture,
    retentionDays: draft.retentionDays,
  };
}

/** Per-language texts without the blank ones (a blank field means "use the default"). */
function languagesOf(languages: WidgetSettings['languages']): WidgetSettings['languages'] {
  const kept: WidgetSettings['languages'] = {};
  for (const [language, texts] of Object.entries(languages) as [WidgetLanguage, WidgetLanguageTexts][]) {
    const filled = Object.fromEntries(
      (Object.entries(texts) as [keyof WidgetLanguageTexts, string | undefined][]).filter(([, value]) =>
        value?.trim(),
      ),
    );
    if (Object.keys(filled).length > 0) kept[language] = filled;
  }
  return kept;
}

export function createOf(draft: SiteDraft, organizationId: string): CreateSiteRequest {
  return { organizationId, ...updateOf(draft), name: draft.name.trim() };
}

/** The snippet a customer pastes into their pages (DESIGN §11). */
export function embedSnippet(origin: string, publicKey: string): string {
  return `<script src="${origin}/widget.js" data-site-key="${publicKey}" async></script>`;
}
