import { StreamableFile } from '@nestjs/common';

import type { ExportDownload } from './privacy.service';

/** A JSON document (or NDJSON lines) the browser saves as a file. */
export function downloadOf(
  { stream, filename }: ExportDownload,
  type = 'application/json; charset=utf-8',
): StreamableFile {
  return new StreamableFile(stream, {
    type,
    disposition: `attachment; filename="${filename}"`,
  });
}
