import type { DependencyState, HealthResponse, ReadyResponse } from '@cloop/contracts';
import { ApiProperty } from '@nestjs/swagger';

export class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: 'ok';
}

export class ReadyResponseDto implements ReadyResponse {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status: 'ok' | 'error';

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
