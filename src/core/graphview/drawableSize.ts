import type { Model } from '../onnx/model';
import { forEachNode } from '../onnx/graph/topo';
import { InputError } from '../inputError';

/**
 * Most nodes (subgraphs included) the graph view and `aios graph` draw. A 200,000-node model
 * took 26 s and 1.5 GB to export; a 1,000,000-node one ran out of memory after 8 minutes.
 * Beyond this the user gets a reason at once instead.
 */
export const MAX_DRAWN_NODES = 300_000;

export class TooLargeToDrawError extends InputError {}

/** Throws TooLargeToDrawError, naming the model's node count, when it is over `limit`. */
export function checkDrawable(model: Model, what: string, limit = MAX_DRAWN_NODES): void {
  let nodes = 0;
  forEachNode(model.graph, () => void nodes++);
  if (nodes > limit) {
    throw new TooLargeToDrawError(
      `${what} has ${nodes.toLocaleString('en-US')} nodes; the graph view draws models of up to ${limit.toLocaleString('en-US')} (beyond that it needs several GB of memory). Use aios inspect for its figures.`,
    );
  }
}
