import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixturePage {
  status?: number;
  contentType?: string;
  body: string | Buffer;
  /** Delay before answering, for timeout tests. */
  delayMs?: number;
}

export interface FixtureSite {
  origin: string;
  /** Paths requested so far, in order. */
  requests: string[];
  pages: Map<string, FixturePage>;
  close(): Promise<void>;
}

/** A small website on loopback whose pages a test defines and changes. */
export async function startFixtureSite(pages: Record<string, FixturePage>): Promise<FixtureSite> {
  const site: Omit<FixtureSite, 'origin' | 'close'> = { requests: [], pages: new Map(Object.entries(pages)) };
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    site.requests.push(path);
    const page = site.pages.get(path);
    const answer = (): void => {
      if (!page) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      response
        .writeHead(page.status ?? 200, { 'content-type': page.contentType ?? 'text/html; charset=utf-8' })
        .end(page.body);
    };
    if (page?.delayMs) setTimeout(answer, page.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...site,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function html(title: string, body: string): string {
  return `<!doctype html><html><head><title>${title}</title></head><body><nav><a href="/">Home</a></nav><main>${body}</main><footer>© Fixture shop</footer></body></html>`;
}

/** A one-page PDF with the given lines in Helvetica: the smallest document pdf.js reads. */
export function pdfWithText(lines: string[]): Buffer {
  const escape = (text: string): string => text.replace(/[\\()]/g, (char) => `\\${char}`);
  const stream = `BT /F1 12 Tf 72 720 Td ${lines.map((line) => `(${escape(line)}) Tj 0 -18 Td`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
