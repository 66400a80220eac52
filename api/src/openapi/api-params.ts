import { Param } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

import { uuidParam } from '../common/uuid-param.pipe';

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

export type UuidParamName = keyof typeof UUID_PARAMS;

/** Documents a UUID path parameter with its example (the same ids across the document). */
export const ApiUuidParam = (name: UuidParamName) =>
  ApiParam({ name, type: String, format: 'uuid', ...UUID_PARAMS[name] });

/** A UUID path parameter: validated (`VALIDATION_FAILED` when malformed) and documented with its example. */
export function UuidParam(name: UuidParamName): ParameterDecorator {
  const validated = Param(name, uuidParam);
  const documented = ApiUuidParam(name);
  return (target, key, index) => {
    validated(target, key, index);
    // The document describes path parameters on the method: find it from its parameter.
    const method = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (!method) throw new Error(`UuidParam('${name}') belongs on a route handler's parameter`);
    documented(target, key as string | symbol, method);
  };
}
