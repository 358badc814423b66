// Long work on the UI thread (opening a database, building a first sync's changeset) runs in steps that give the
// thread back in between, so no step is a long task.

/** Gives the UI thread a turn (a new task: input and paint can run before the next step). */
export function yieldToUi(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}
