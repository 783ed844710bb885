import { callBridge } from '../../bridge/client';
import type { QuickInputMatch, QuickInputState } from '../../bridge/protocol';

export type { QuickInputItem, QuickInputMatch, QuickInputState } from '../../bridge/protocol';

/**
 * The workbench's quick input (quick picks, input boxes) driven like a user does: keys go to
 * the browser page through the runner's Playwright, and the state is read from the DOM.
 */
export const quickInput = {
  /** Waits until the quick input matches every given field; returns what it shows then. */
  waitFor(match: QuickInputMatch, timeoutMs = 15_000): Promise<QuickInputState> {
    return callBridge('waitForQuickInput', { match, timeoutMs });
  },

  /** Presses keys in order on the focused element (Playwright names: 'Enter', 'ArrowDown', 'Space', 'Escape', 'Control+A'). */
  async press(...keys: string[]): Promise<void> {
    await callBridge('workbenchPress', { keys });
  },

  /** Types text key by key into the focused element. */
  async type(text: string): Promise<void> {
    await callBridge('workbenchType', { text });
  },
};
