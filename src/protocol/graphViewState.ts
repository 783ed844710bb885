import * as z from 'zod/mini';
import { givenSizesSchema } from './inputSizes';

/**
 * What the graph webview saves with `vscode.setState` so hiding the tab, a window reload or
 * reopening a closed editor brings the same view back. Names and paths, not indices: when the
 * model changed in between, whatever still matches is restored and the rest is dropped.
 */
const name = z.string().check(z.maxLength(100_000));

export const graphViewStateSchema = z.object({
  version: z.literal(1),
  /** The graph shown (its id), and the graphs Back returns to, outermost first. */
  graph: name,
  trail: z.array(name).check(z.maxLength(1000)),
  camera: z.object({ scale: z.number().check(z.gt(0)), tx: z.number(), ty: z.number() }),
  /** Scope paths of the expanded groups of the shown graph. */
  expanded: z.array(name).check(z.maxLength(1_000_000)),
  selected: z.nullable(z.object({ kind: z.enum(['node', 'group']), name })),
  overlay: name,
  search: name,
  /** Toolbar view options by id. */
  toggles: z.record(z.string().check(z.maxLength(200)), z.boolean()),
  detailsHidden: z.boolean(),
  /** Sizes set for dynamic input dims (asked for again when the view comes back). */
  inputSizes: z.optional(givenSizesSchema),
});
export type GraphViewState = z.infer<typeof graphViewStateSchema>;
