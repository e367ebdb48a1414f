/**
 * What must be undone if the bench stops early (Ctrl-C, CI timeout): servers, database handles,
 * temp directories and databases. Run newest first, so that everything connected to a database
 * is closed before the database is dropped (the owner role may not terminate the runtime
 * role's connections).
 */
type Undo = () => Promise<void>;

const stack: Undo[] = [];

/** Registers an undo step; the returned function runs it once and unregisters it. */
export function deferCleanup(undo: Undo): Undo {
  let done: Promise<void> | undefined;
  const once = () => {
    done ??= (async () => {
      const i = stack.indexOf(once);
      if (i >= 0) stack.splice(i, 1);
      await undo();
    })();
    return done;
  };
  stack.push(once);
  return once;
}

/** Runs every pending undo step, newest first; failures are reported, not thrown. */
export async function cleanUpAll(): Promise<void> {
  while (stack.length > 0) {
    const undo = stack[stack.length - 1]!;
    try {
      await undo();
    } catch (err) {
      console.error(`cleanup: ${(err as Error).message}`);
    }
  }
}
