import { HEALTH_PATH, type HealthResponse } from '@cloop/contracts';
import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { Public } from '../access/policies';
import { DatabaseHealth } from '../database/database-health';

class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status: 'ok' | 'error';

  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  database: 'up' | 'down';
}

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly database: DatabaseHealth) {}

  @Get(HEALTH_PATH)
  @Public()
  @ApiOperation({
    summary: 'Liveness and database readiness, for load balancers and orchestrators',
    description: 'Public and never cached. 200 while the database answers, 503 when it does not.',
  })
  @ApiOkResponse({ type: HealthResponseDto, description: 'Up' })
  @ApiServiceUnavailableResponse({
    type: HealthResponseDto,
    description: 'The database is unreachable',
    example: { status: 'error', database: 'down' },
  })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const up = await this.database.isUp();
    void reply.status(up ? 200 : 503).header('Cache-Control', 'no-store');
    return { status: up ? 'ok' : 'error', database: up ? 'up' : 'down' };
  }
}
