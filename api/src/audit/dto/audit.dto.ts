import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, type AuditEvent, type Page } from '@cloop/contracts';
import { ApiProperty } from '@nestjs/swagger';

class AuditActorDto {
  @ApiProperty({ enum: AUDIT_ACTOR_KINDS })
  kind: AuditEvent['actor']['kind'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  userId: string | null;
}

class AuditTargetDto {
  @ApiProperty({ example: 'site' })
  type: string;

  @ApiProperty()
  id: string;
}

export class AuditEventDto implements AuditEvent {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
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

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ description: "SHA-256 of the previous event ('0'×64 for the first)" })
  prevHash: string;

  @ApiProperty({ description: 'SHA-256 over prevHash and this event' })
  hash: string;
}

export class AuditEventPageDto implements Page<AuditEvent> {
  @ApiProperty({ type: [AuditEventDto] })
  items: AuditEventDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
