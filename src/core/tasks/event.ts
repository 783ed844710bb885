/** Something to release: the same shape as `vscode.Disposable`, so the editor can hold it directly. */
export interface Disposable {
  dispose(): void;
}

/** Subscribe with a listener; the same call shape as `vscode.Event<T>`. */
export type Event<T> = (listener: (event: T) => void) => Disposable;

/** A minimal event source for the core (which may not import `vscode`). */
export class Emitter<T> {
  private readonly listeners = new Set<(event: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener must not stop the queue or the other listeners.
        console.error('aios tasks: an event listener threw:', error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
