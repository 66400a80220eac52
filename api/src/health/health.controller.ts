import { HEALTH_PATH, READY_PATH, type HealthResponse, type ReadyResponse } from '@cloop/contracts';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { Public } from '../access/policies';
import { Endpoint } from '../openapi/endpoint';
import { HealthResponseDto, ReadyResponseDto } from './dto/health.dto';
import { ReadinessService } from './readiness.service';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get(HEALTH_PATH)
  @Public()
  @Endpoint({
    summary: 'Liveness: the process answers',
    description:
      'Checks no dependency, so an orchestrator restarts Cloop only when the process itself is stuck; ' +
      `use \`${READY_PATH}\` to decide whether to send it traffic.`,
    ok: { type: HealthResponseDto },
  })
  health(@Res({ passthrough: true }) reply: FastifyReply): HealthResponse {
    void reply.header('Cache-Control', 'no-store');
    return { status: 'ok' };
  }

  @Get(READY_PATH)
  @Public()
  @Endpoint({
    summary: 'Readiness: the database answers (and Redis, when `REDIS_URL` is set)',
    description:
      'For load balancers: 503 when the database is down or the process is draining; a Redis outage ' +
      'is reported (`degraded`, `redis: down`) but keeps the replica in rotation.',
    ok: { type: ReadyResponseDto },
    responses: [
      {
        status: 503,
        type: ReadyResponseDto,
        description: 'The database is unreachable, or the process is shutting down',
        example: { status: 'error', database: 'down', redis: 'up', draining: false },
      },
    ],
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyResponse> {
    const readiness = await this.readiness.check();
    void reply.status(readiness.status === 'error' ? 503 : 200).header('Cache-Control', 'no-store');
    return readiness;
  }
}
