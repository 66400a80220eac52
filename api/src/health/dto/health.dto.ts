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
}
