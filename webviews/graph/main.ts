import { GraphApp } from './app';
import { createHostLink, createLayoutWorker } from './hostLink';
import { graphStyles } from './style';

/** Entry point of the graph webview (VS Code custom editor and the exported HTML page). */
function start(): void {
  performance.mark('aios-graph:start');
  const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';
  const style = document.createElement('style');
  style.nonce = nonce;
  style.textContent = graphStyles;
  document.head.append(style);
  const host = createHostLink();
  try {
    new GraphApp(host, createLayoutWorker);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const banner = document.createElement('div');
    banner.textContent = `The graph view could not start: ${message}`;
    document.body.append(banner);
    host.post({ type: 'error', message });
  }
}

start();
