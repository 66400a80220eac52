import { EXAMPLE_CURSOR } from '../common/pagination';

/**
 * One consistent story for the examples in the OpenAPI document: Ada of Acme Ltd runs the site
 * acme.example, and a visitor asked about shipping. DTOs use these so ids agree across operations.
 */
export const EXAMPLE = {
  userId: '5b0c2f9e-8d3a-4c1b-9f6e-2a7d4e8b1c3f',
  organizationId: '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f',
  siteId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  publicKey: 'pk_3q2-7wEvDfyl1l0k8-L9a5Hd',
  conversationId: 'b3e1f4a2-6c8d-4e9f-a1b2-c3d4e5f6a7b8',
  messageId: 'e4c2a1b0-9f8e-4d7c-8b6a-5f4e3d2c1b0a',
  clientMessageId: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  visitorId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
  visitorUuid: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  sourceId: 'd4e5f6a7-b8c9-4dae-8f01-23456789abcd',
  documentId: 'a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d',
  chunkId: 'f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b',
  invitationId: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
  auditEventId: '8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a',
  privacyRequestId: '6e7f8a9b-0c1d-4e2f-8a3b-4c5d6e7f8a9b',
  webhookId: '4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e',
  deliveryId: '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a',
  apiKeyId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
  eventId: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
  email: 'ada@example.com',
  createdAt: '2026-11-02T09:14:03.512Z',
  updatedAt: '2026-11-20T16:40:11.007Z',
  at: '2026-11-28T10:05:42.118Z',
  cursor: EXAMPLE_CURSOR,
  hash: '9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e',
} as const;
