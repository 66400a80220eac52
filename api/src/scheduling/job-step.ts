const STEP = Symbol('job step');

/**
 * Runs one step of a background job. A failure is rethrown as it is (callers may switch on its
 * type), tagged with the innermost step's name, so the log can say where a job failed without
 * quoting any data.
 */
export async function jobStep<T>(step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error && !(STEP in error)) {
      Object.defineProperty(error, STEP, { value: step, enumerable: false });
    }
    throw error;
  }
}

/** The step a failure happened in, if a `jobStep` saw it. */
export function stepOf(error: unknown): string | undefined {
  return error instanceof Error ? (error as Error & { [STEP]?: string })[STEP] : undefined;
}
