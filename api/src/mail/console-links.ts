import { CONSOLE_BASE_PATH } from '../console-app/console-app';

/**
 * Links into the console for e-mail. Tokens travel in the fragment, which browsers never send to
 * a server: they stay out of access logs and `Referer` headers.
 */
export function consoleLink(publicUrl: string, page: string, token?: string): string {
  const base = `${publicUrl}${CONSOLE_BASE_PATH}${page}`;
  return token === undefined ? base : `${base}#token=${token}`;
}
