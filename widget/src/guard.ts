/** Wraps a handler so that nothing it throws or rejects ever reaches the host page. */
export type Guard = <A extends unknown[]>(handler: (...args: A) => unknown) => (...args: A) => void;

export const guard: Guard =
  (handler) =>
  (...args) => {
    try {
      const result = handler(...args);
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      // The host page must never see the widget's errors.
    }
  };
