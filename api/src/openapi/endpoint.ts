import { applyDecorators, HttpCode, type Type } from '@nestjs/common';
import {
  ApiBody,
  type ApiBodyOptions,
  ApiConsumes,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  type ApiResponseNoStatusOptions,
  type ApiResponseOptions,
} from '@nestjs/swagger';

import { ApiErrors, ApiInvalidInput, type RouteErrors } from './api-errors';

/** A success answer: its DTO (`type`, `isArray`) or hand-written `content`, and its description. */
type Answer = ApiResponseNoStatusOptions;

export interface EndpointOptions {
  summary: string;
  description?: string;
  /** 200 with a body. */
  ok?: Answer;
  /** 201 with a body. */
  created?: Answer;
  /** 202 with a body: the work continues in the background. */
  accepted?: Answer;
  /** 204 without a body: the description, e.g. `'Deleted'`. */
  noContent?: string;
  /** When each error code happens on this route, besides those of its access policy. */
  errors?: RouteErrors;
  /** When the 400 `VALIDATION_FAILED` happens: the body, query or path parameter it checks. */
  invalid?: string;
  /** A request body that is not a DTO, e.g. a multipart upload: its media type and schema. */
  consumes?: string;
  body?: ApiBodyOptions;
  /** Schemas the answers name by `getSchemaPath` only. */
  extraModels?: Type[];
  /** Other documented answers, e.g. a 503 that is not an error body. */
  responses?: ApiResponseOptions[];
}

/**
 * The OpenAPI metadata of a route in one decorator: what it does, its success answer, and the
 * errors and invalid input it answers with (the access policy documents its own). With one success
 * answer it also sets that status (`@HttpCode`), so the server and the document cannot disagree;
 * a route answering 201 or 200 (an idempotent create) sets its status itself.
 */
export function Endpoint(options: EndpointOptions): MethodDecorator {
  const { summary, description, errors, invalid, consumes, body, extraModels, responses = [] } = options;
  const answers: [number, Answer | undefined][] = [
    [200, options.ok],
    [201, options.created],
    [202, options.accepted],
    [204, options.noContent === undefined ? undefined : { description: options.noContent }],
  ];
  const successes = answers.filter((entry): entry is [number, Answer] => entry[1] !== undefined);
  const [only, ...more] = successes;
  if (!only) throw new Error(`Endpoint "${summary}" documents no success answer`);
  // Applied in the order stacked decorators were (bottom up): answers of one status merge in order.
  return applyDecorators(
    ...(invalid === undefined ? [] : [ApiInvalidInput(invalid)]),
    ...(errors ? [ApiErrors(errors)] : []),
    ...successes.map(([status, answer]) => ApiResponse({ ...answer, status } as ApiResponseOptions)),
    ...responses.map((response) => ApiResponse(response)),
    ...(consumes ? [ApiConsumes(consumes)] : []),
    ...(body ? [ApiBody(body)] : []),
    ...(extraModels ? [ApiExtraModels(...extraModels)] : []),
    ApiOperation({ summary, description }),
    ...(more.length === 0 ? [HttpCode(only[0])] : []),
  );
}
