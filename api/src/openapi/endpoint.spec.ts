import { Post } from '@nestjs/common';
import { HTTP_CODE_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';

import { uuidParam } from '../common/uuid-param.pipe';
import { UuidParam } from './api-params';
import { Endpoint } from './endpoint';

// The generated document (unchanged byte for byte by the move to these decorators) proves the
// OpenAPI side; these pin what the document cannot show: the status the server sends, and the pipe.
class ExampleController {
  @Post()
  @Endpoint({ summary: 'Delete', noContent: 'Deleted' })
  remove(): string {
    return 'removed';
  }

  @Post()
  @Endpoint({ summary: 'Send', created: { description: 'Stored' }, ok: { description: 'Seen before' } })
  send(): string {
    return 'sent';
  }

  @Post()
  @Endpoint({ summary: 'Redeliver', accepted: { description: 'Queued' } })
  redeliver(@UuidParam('webhookId') webhookId: string, @UuidParam('deliveryId') deliveryId: string): string {
    return webhookId + deliveryId;
  }
}

// @nestjs/swagger's metadata keys (its constants module is not exported).
const DECORATORS = { API_RESPONSE: 'swagger/apiResponse', API_PARAMETERS: 'swagger/apiParameters' };

const handler = (name: keyof ExampleController) => ExampleController.prototype[name];

describe('Endpoint', () => {
  it('sends the status of its only success answer', () => {
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, handler('remove'))).toBe(204);
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, handler('redeliver'))).toBe(202);
  });

  it('leaves the status to the handler when the route documents two success answers', () => {
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, handler('send'))).toBeUndefined();
    const responses = Reflect.getMetadata(DECORATORS.API_RESPONSE, handler('send')) as object;
    expect(Object.keys(responses)).toEqual(['200', '201']);
  });

  it('refuses a route that documents no success answer', () => {
    expect(() => Endpoint({ summary: 'Nothing' })).toThrow('documents no success answer');
  });
});

describe('UuidParam', () => {
  it('validates each path parameter with the uuid pipe and documents it on the method', () => {
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, ExampleController, 'redeliver') as Record<
      string,
      { index: number; data: string; pipes: unknown[] }
    >;
    expect(args[`${RouteParamtypes.PARAM}:0`]).toMatchObject({ data: 'webhookId', pipes: [uuidParam] });
    expect(args[`${RouteParamtypes.PARAM}:1`]).toMatchObject({ data: 'deliveryId', pipes: [uuidParam] });
    const documented = Reflect.getMetadata(DECORATORS.API_PARAMETERS, handler('redeliver')) as object[];
    expect(documented).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'webhookId', in: 'path', format: 'uuid' }),
        expect.objectContaining({ name: 'deliveryId', in: 'path', format: 'uuid' }),
      ]),
    );
  });
});
