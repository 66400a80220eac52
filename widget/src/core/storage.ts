import { openKey, visitorKey } from './contract-constants';

/**
 * The only two keys the widget ever writes (DESIGN §11, the storage policy): the visitor UUID in
 * localStorage and the panel state in sessionStorage. Reading never writes; the UUID is created
 * only when the visitor interacts. Storage can throw (blocked cookies, sandboxed frames): the widget
 * then works for this page only.
 */
export interface VisitorStorage {
  visitorId(): string | null;
  /** The visitor UUID, created on first call; call it only when the visitor interacts. */
  ensureVisitorId(): string;
  forgetVisitor(): void;
  /** `null` until the visitor has opened the panel in this tab. */
  wasOpen(): boolean | null;
  rememberOpen(open: boolean): void;
}

export function createVisitorStorage(
  publicKey: string,
  local: () => Storage,
  session: () => Storage,
  newId: () => string,
): VisitorStorage {
  let memoryId: string | null = null;
  const visitor = visitorKey(publicKey);
  const open = openKey(publicKey);
  return {
    visitorId: () => attempt(() => local().getItem(visitor)) ?? memoryId,
    ensureVisitorId() {
      const known = this.visitorId();
      if (known) return known;
      memoryId = newId();
      attempt(() => local().setItem(visitor, memoryId as string));
      return memoryId;
    },
    forgetVisitor() {
      memoryId = null;
      attempt(() => local().removeItem(visitor));
    },
    wasOpen() {
      const value = attempt(() => session().getItem(open));
      return value === null ? null : value === '1';
    },
    rememberOpen: (isOpen) => void attempt(() => session().setItem(open, isOpen ? '1' : '0')),
  };
}

function attempt<T>(work: () => T): T | null {
  try {
    return work();
  } catch {
    return null;
  }
}
