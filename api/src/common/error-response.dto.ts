import { ERROR_CODES, type ErrorCode, type ErrorResponse } from '@cloop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI description of the error body; the filter produces it. */
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;

  @ApiProperty({ enum: ERROR_CODES, example: 'VALIDATION_FAILED' })
  code: ErrorCode;

  @ApiPropertyOptional({ type: [String] })
  details?: string[];
}
