import { DomainError } from '../../common/domain-error';
import { type ExtractedDocument, plainTextDocument } from './blocks';
import { titleFromFileName } from './document-title';
import { htmlDocument } from './html';
import { markdownDocument } from './markdown';

export interface UploadedFile {
  filename: string;
  mimetype: string;
  content: Buffer;
}

type Kind = 'text' | 'markdown' | 'html' | 'pdf';

const BY_EXTENSION: Record<string, Kind> = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
};

const BY_MIME: Record<string, Kind> = {
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/pdf': 'pdf',
};

/** The text of an uploaded file, as headings and paragraphs; refuses what it cannot read. */
export async function extractUpload(file: UploadedFile): Promise<ExtractedDocument> {
  const kind = kindOf(file);
  const name = titleFromFileName(file.filename);
  switch (kind) {
    case 'pdf':
      return pdfDocument(name, file.content);
    case 'html':
      return htmlDocument(utf8(file.content), file.filename);
    case 'markdown':
      return markdownDocument(file.filename, utf8(file.content));
    case 'text':
      return plainTextDocument(name, utf8(file.content));
  }
}

function kindOf(file: UploadedFile): Kind {
  if (file.content.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  const extension = /\.([a-z0-9]+)$/i.exec(file.filename)?.[1]?.toLowerCase() ?? '';
  const kind = BY_EXTENSION[extension] ?? BY_MIME[file.mimetype.split(';')[0]?.trim().toLowerCase() ?? ''];
  if (!kind || kind === 'pdf') {
    throw new DomainError('UNSUPPORTED_FILE_TYPE', 'Upload plain text, Markdown, HTML or PDF files');
  }
  return kind;
}

function utf8(content: Buffer): string {
  const text = content.toString('utf8');
  if (text.includes('\u0000')) throw new DomainError('FILE_UNREADABLE', 'The file is not text');
  return text;
}

/** PDF text per page, through pdf.js (the `unpdf` build for servers). */
async function pdfDocument(name: string, content: Buffer): Promise<ExtractedDocument> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  let pages: string[];
  try {
    const pdf = await getDocumentProxy(new Uint8Array(content));
    pages = (await extractText(pdf, { mergePages: false })).text;
  } catch {
    throw new DomainError('FILE_UNREADABLE', 'The PDF could not be read');
  }
  const blocks = pages.flatMap((page) => plainTextDocument(name, page).blocks);
  if (blocks.length === 0) {
    throw new DomainError('FILE_UNREADABLE', 'The PDF holds no text (a scan needs OCR first)');
  }
  return { title: name, blocks };
}
