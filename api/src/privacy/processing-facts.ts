import type { PrivacyProcessingFacts } from '@cloop/contracts';

import type { AppConfig } from '../config/app-config';
import type { SiteFacts } from './privacy.repository';

const RIGHTS = [
  'Access: receive a copy of this data (GDPR Art. 15) in a portable format (Art. 20)',
  'Rectification of inaccurate data (Art. 16)',
  'Erasure (Art. 17): the chat widget offers "Delete my data", or ask the site owner',
  'Restriction of processing (Art. 18) and objection (Art. 21)',
  'Lodge a complaint with a data-protection supervisory authority (Art. 77)',
];

/** What GDPR Art. 15(1) asks to accompany a visitor's data, from the site's own settings. */
export function visitorProcessingFacts(
  site: SiteFacts,
  { llm, embeddings }: Pick<AppConfig, 'llm' | 'embeddings'>,
): PrivacyProcessingFacts {
  const origins = site.allowedOrigins.length > 0 ? site.allowedOrigins.join(', ') : 'the site';
  return {
    controller: { organization: site.organizationName, site: site.siteName },
    purposes: [
      "Answering your questions in the chat with an assistant that uses the site's own content",
      "Handing the conversation to the site's team when you ask for a person",
      'Contacting you by email when you leave your address',
    ],
    legalBasis:
      'Legitimate interest in answering questions asked through the chat (GDPR Art. 6(1)(f)); your request when you leave an email (Art. 6(1)(b))',
    recipients: [
      { name: `The team of ${site.organizationName}`, purpose: 'Reading and answering conversations' },
      ...(llm
        ? [
            {
              name: `Language-model provider at ${new URL(llm.baseUrl).host}`,
              purpose:
                'Writing the assistant’s answers: receives the conversation text, never your email or visitor id',
            },
          ]
        : []),
      ...(embeddings && embeddings.baseUrl !== llm?.baseUrl
        ? [
            {
              name: `Embedding provider at ${new URL(embeddings.baseUrl).host}`,
              purpose:
                'Finding the passages that answer your question: receives the question text, never your email or visitor id',
            },
          ]
        : []),
    ],
    retention: `Conversations are deleted ${site.retentionDays} days after their last message, or earlier on request`,
    source: `Collected from you through the chat widget on ${origins}`,
    automatedDecisionMaking:
      'The assistant writes answers automatically; it takes no decision with legal or similarly significant effects on you',
    rights: RIGHTS,
  };
}

/** The same facts for a console account, whose data Cloop's operator holds to run the service. */
export function accountProcessingFacts(): PrivacyProcessingFacts {
  return {
    controller: { organization: 'The operator of this Cloop server', site: null },
    purposes: [
      'Signing you in and keeping your sessions',
      'Membership of organizations and the work you do in them',
      'Security: detecting attacks on your account and keeping an audit trail',
    ],
    legalBasis: 'Performance of the contract you signed up for (GDPR Art. 6(1)(b)); security (Art. 6(1)(f))',
    recipients: [{ name: 'Members of your organizations', purpose: 'Seeing your name, email and role' }],
    retention:
      'Until you delete your account; sign-in sessions expire after 30 days; audit events are kept as security records',
    source: 'Provided by you at sign-up and while using the console',
    automatedDecisionMaking: 'None',
    rights: RIGHTS.map((right) =>
      right.replace(
        'the chat widget offers "Delete my data", or ask the site owner',
        '"Delete my account" in the console',
      ),
    ),
  };
}
