import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, type AuditEvent, type Page } from '@cloop/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE } from '../../openapi/example-values';

class AuditActorDto {
  @ApiProperty({ enum: AUDIT_ACTOR_KINDS })
  kind: AuditEvent['actor']['kind'];

  @ApiProperty({ example: EXAMPLE.userId, type: String, format: 'uuid', nullable: true })
  userId: string | null;
}

class AuditTargetDto {
  @ApiProperty({ example: 'site' })
  type: string;

  @ApiProperty({ example: EXAMPLE.siteId })
  id: string;
}

export class AuditEventDto implements AuditEvent {
  @ApiProperty({ example: EXAMPLE.auditEventId, format: 'uuid' })
  id: string;

  @ApiProperty({ example: EXAMPLE.organizationId, format: 'uuid' })
  organizationId: string;

  @ApiProperty({ description: "Position in the organization's hash chain", example: 42 })
  seq: number;

  @ApiProperty({ type: AuditActorDto })
  actor: AuditActorDto;

  @ApiProperty({ enum: AUDIT_ACTIONS })
  action: AuditEvent['action'];

  @ApiProperty({ type: AuditTargetDto, nullable: true })
  target: AuditTargetDto | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Ids and counts; never emails, names or message text',
    example: { role: 'admin' },
  })
  details: Record<string, unknown>;

  @ApiProperty({ example: EXAMPLE.at, format: 'date-time' })
  createdAt: string;

  @ApiProperty({
    example: '4b1e7d0a3c6f9e2b5d8a1c4f7e0b3d6a9c2f5e8b1d4a7c0f3e6b9d2a5c8f1e4b',
    description: "SHA-256 of the previous event ('0'×64 for the first)",
  })
  prevHash: string;

  @ApiProperty({ example: EXAMPLE.hash, description: 'SHA-256 over prevHash and this event' })
  hash: string;
}

export class AuditEventPageDto implements Page<AuditEvent> {
  @ApiProperty({ type: [AuditEventDto] })
  items: AuditEventDto[];

  @ApiProperty({ example: EXAMPLE.cursor, type: String, nullable: true })
  nextCursor: string | null;
}
