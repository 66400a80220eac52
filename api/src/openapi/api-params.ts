import { ApiParam } from '@nestjs/swagger';

import { EXAMPLE } from './example-values';

const UUID_PARAMS = {
  orgId: { example: EXAMPLE.organizationId, description: 'The organization' },
  siteId: { example: EXAMPLE.siteId, description: 'The site' },
  conversationId: { example: EXAMPLE.conversationId, description: 'The conversation' },
  sourceId: { example: EXAMPLE.sourceId, description: 'The knowledge source' },
  userId: { example: EXAMPLE.userId, description: "The member's user id" },
  invitationId: { example: EXAMPLE.invitationId, description: 'The invitation' },
  webhookId: { example: EXAMPLE.webhookId, description: 'The webhook endpoint' },
  deliveryId: { example: EXAMPLE.deliveryId, description: 'One delivery of the endpoint' },
  apiKeyId: { example: EXAMPLE.apiKeyId, description: 'The API key' },
  questionId: { example: EXAMPLE.messageId, description: "The visitor's message that asked the question" },
} as const;

/** Documents a UUID path parameter with its example (the same ids across the document). */
export const ApiUuidParam = (name: keyof typeof UUID_PARAMS) =>
  ApiParam({ name, type: String, format: 'uuid', ...UUID_PARAMS[name] });
