import type { AuthResponse, Conversation, Message, Site, UnansweredQuestion } from '@cloop/contracts';

let sequence = 0;
const next = (): number => (sequence += 1);

export function createAuthResponse(overrides: Partial<AuthResponse> = {}): AuthResponse {
  const n = next();
  return {
    accessToken: `access-${n}`,
    accessTokenExpiresAt: new Date(Date.now() + 900_000).toISOString(),
    refreshToken: `refresh-${n}`,
    refreshTokenExpiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    user: {
      id: `user-${n}`,
      email: `user${n}@example.test`,
      name: 'Test User',
      createdAt: new Date().toISOString(),
      emailVerified: true,
    },
    ...overrides,
  };
}

export function createSite(overrides: Partial<Site> = {}): Site {
  const n = next();
  return {
    id: `site-${n}`,
    organizationId: 'org-1',
    name: `Site ${n}`,
    publicKey: `pk_${n}`,
    allowedOrigins: ['https://shop.example'],
    widget: {
      color: '#4f46e5',
      position: 'bottom-right',
      greeting: 'Hi',
      assistantName: 'Assistant',
      locale: 'auto',
      privacyUrl: null,
      languages: {},
      sound: false,
    },
    leadCapture: true,
    retentionDays: 180,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

export function createConversation(overrides: Partial<Conversation> = {}): Conversation {
  const n = next();
  return {
    id: `conv-${n}`,
    siteId: 'site-1',
    visitorId: `visitor-${n}`,
    phase: 'exploring',
    status: 'open',
    email: null,
    leadStatus: 'none',
    entryUrl: 'https://shop.example/',
    locale: 'en',
    messageCount: 1,
    lastSeq: 1,
    lastMessageAt: new Date(2026, 10, 1, 12, n % 60).toISOString(),
    lastMessagePreview: 'Do you ship to Finland?',
    lastMessageAuthor: 'visitor',
    teamSeenSeq: 0,
    createdAt: new Date(2026, 10, 1).toISOString(),
    ...overrides,
  };
}

export function createMessage(overrides: Partial<Message> = {}): Message {
  const n = next();
  return {
    id: `msg-${n}`,
    conversationId: 'conv-1',
    seq: n,
    clientMessageId: `client-${n}`,
    author: 'visitor',
    authorName: null,
    body: `Message ${n}`,
    citations: [],
    confidence: null,
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

/** A visitor question the assistant could not answer; later ones were asked later. */
export function createUnansweredQuestion(overrides: Partial<UnansweredQuestion> = {}): UnansweredQuestion {
  const n = next();
  return {
    id: `question-${n}`,
    conversationId: `conv-${n}`,
    question: `Question ${n}?`,
    confidence: 0,
    askedAt: new Date(Date.UTC(2026, 10, 1, 12, n % 60)).toISOString(),
    ...overrides,
  };
}

/** Lets pending promise callbacks run (the interceptor waits on a refresh promise). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}
