import type { DependencyState, HealthResponse, ReadyResponse } from '@cloop/contracts';
import { ApiProperty } from '@nestjs/swagger';

export class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: 'ok';
}

export class ReadyResponseDto implements ReadyResponse {
  @ApiProperty({
    enum: ['ok', 'degraded', 'error'],
    example: 'ok',
    description:
      '`degraded` (still 200): Redis is down, so events reach only the sockets of the replica that ' +
      'produced them until it is back; `error` (503): the database is down or the process is draining',
  })
  status: 'ok' | 'degraded' | 'error';

  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  database: 'up' | 'down';

  @ApiProperty({
    enum: ['up', 'down', 'disabled'],
    example: 'up',
    description: '`disabled` when `REDIS_URL` is not set (one process, events in memory)',
  })
  redis: DependencyState;

  @ApiProperty({
    example: false,
    description:
      'true once the process was told to stop (SIGTERM): it finishes what it has and takes nothing new',
  })
  draining: boolean;
}
