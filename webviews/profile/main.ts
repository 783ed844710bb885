import { hostToProfileViewSchema, profileViewSchema, type ProfileViewToHost } from '../../src/protocol/profileView';
import { parseMessage } from '../../src/protocol/graphMessages';
import { receiveValidated, vscodeHostLink } from '../shared/hostLink';
import { ProfileApp } from './app';
import { profileStyles } from './style';

/** Entry point of the profile webview (VS Code panel) and of the page `aios profile --html` writes. */
function start(): void {
  const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';
  const style = document.createElement('style');
  style.nonce = nonce;
  style.textContent = profileStyles;
  document.head.append(style);
  const root = document.createElement('main');
  document.body.append(root);
  const link = vscodeHostLink<ProfileViewToHost>();
  const fail = (message: string) => {
    const banner = document.createElement('div');
    banner.className = 'error';
    banner.textContent = message;
    root.replaceChildren(banner);
    link?.post({ type: 'error', message });
  };
  const app = new ProfileApp(root, (message) => link?.post(message));
  if (link) {
    link.listen(receiveValidated(hostToProfileViewSchema, (message) => app.show(message.view), (reason) => fail(`The profile view received a malformed message: ${reason}`)));
    link.post({ type: 'ready' });
    return;
  }
  const data = document.getElementById('aios-profile-data')?.textContent;
  if (!data) return fail('This page holds no profile data.');
  const parsed = parseMessage(profileViewSchema, JSON.parse(data));
  if (parsed.ok) app.show(parsed.message);
  else fail(`This page's profile data is malformed: ${parsed.reason}`);
}

start();
