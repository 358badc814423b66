// Long work on the UI thread (opening a database, building a first sync's changeset) runs in steps that give the
// thread back in between, so no step is a long task.

/**
 * Gives the UI thread a turn (a new task: input and paint can run before the next step). Without scheduler.yield
 * (Safari, Firefox, Node), a message to itself: unlike setTimeout it is neither clamped after nesting nor slowed to
 * once a second in a background tab, where a write pauses this way while it holds the write lock.
 */
export function yieldToUi(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
