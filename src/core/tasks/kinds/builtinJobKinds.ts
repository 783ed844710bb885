import type { AnyJobKind } from '../registry';
import { quantizeJobKind } from './quantizeKind';
import { releaseJobKind } from './releaseKind';
import { quantdiffJobKind } from './quantdiffKind';
import { replayJobKind } from './replayKind';
import { runJobKind } from './runKind';
import { profileJobKind } from './profileKind';

/**
 * The job kinds bundled into the job worker (dist/workers/job.js) and known to the CLI and the
 * extension. A new capability (quantize, quantdiff, profile, release) adds its kind here.
 */
export function builtinJobKinds(): readonly AnyJobKind[] {
  return [runJobKind, quantizeJobKind, releaseJobKind, quantdiffJobKind, profileJobKind, replayJobKind];
}
