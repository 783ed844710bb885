import type { Disposable } from './event';
import type { JobKind } from './jobKind';

/** A job kind whose type parameters are erased: what the registry and the queue hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- inputs and summary are checked by the kind's own zod schemas at run time
export type AnyJobKind = JobKind<any, any>;

/** Thrown on enqueue when the kind is unknown or its inputs do not match the kind's schema. */
export class JobSpecError extends Error {
  override readonly name = 'JobSpecError';
}

/** The job kinds a queue can run. One registry per queue; tests register fixture kinds the same way. */
export class JobKindRegistry {
  private readonly kinds = new Map<string, AnyJobKind>();

  constructor(kinds: readonly AnyJobKind[] = []) {
    for (const kind of kinds) this.register(kind);
  }

  /** Adds a kind; throws when the id is taken. The returned disposable removes it again. */
  register(kind: AnyJobKind): Disposable {
    if (this.kinds.has(kind.kind)) throw new Error(`the job kind '${kind.kind}' is registered twice`);
    this.kinds.set(kind.kind, kind);
    return { dispose: () => this.kinds.get(kind.kind) === kind && this.kinds.delete(kind.kind) };
  }

  get(kind: string): AnyJobKind | undefined {
    return this.kinds.get(kind);
  }

  /** The kind, or a JobSpecError that lists the known ones. */
  require(kind: string): AnyJobKind {
    const found = this.kinds.get(kind);
    if (!found) throw new JobSpecError(`unknown job kind '${kind}': use one of ${[...this.kinds.keys()].join(', ') || '(none registered)'}`);
    return found;
  }

  all(): readonly AnyJobKind[] {
    return [...this.kinds.values()];
  }
}
