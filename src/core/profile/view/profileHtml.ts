import type { ProfileView } from '../../../protocol/profileView';
import { asciiJson } from '../../graphview/exportHtml';
import { pageHtml } from '../../webview/pageHtml';

/**
 * `aios profile --html OUT`: the profile webview as one self-contained page (the app inline
 * under the nonce, the data as inert JSON, no network). The page sets
 * `document.body.dataset.ready = "true"` once drawn.
 */
export function renderProfileHtml(view: ProfileView, appScript: string, nonce?: string): string {
  return pageHtml({
    title: `${view.title} · AIOS profile`,
    ...(nonce ? { nonce } : {}),
    data: [{ id: 'aios-profile-data', type: 'application/json', text: asciiJson(view).replace(/</g, '\\u003c') }],
    scripts: [{ inline: appScript }],
  });
}
