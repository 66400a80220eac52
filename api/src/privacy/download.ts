import { StreamableFile } from '@nestjs/common';

import type { ExportDownload } from './privacy.service';

/** A JSON document the browser saves as a file. */
export function downloadOf({ stream, filename }: ExportDownload): StreamableFile {
  return new StreamableFile(stream, {
    type: 'application/json; charset=utf-8',
    disposition: `attachment; filename="${filename}"`,
  });
}
