import { bridgeTokenEnv, bridgeTokenHeader, bridgeUrlEnv, type BridgeOp, type BridgeOps, type BridgeResponse } from './protocol';

/** True when the runner started this VS Code with a bridge (always, under `npm run test:integration`). */
export function bridgeAvailable(): boolean {
  return Boolean(process.env[bridgeUrlEnv] && process.env[bridgeTokenEnv]);
}

/** Calls the runner. Used from inside the extension host only. */
export async function callBridge<K extends BridgeOp>(op: K, request: BridgeOps[K]['request']): Promise<BridgeOps[K]['result']> {
  const url = process.env[bridgeUrlEnv];
  const token = process.env[bridgeTokenEnv];
  if (!url || !token) {
    throw new Error(`the integration runner's bridge is not reachable (${bridgeUrlEnv} is not set): run the suite with npm run test:integration`);
  }
  const response = await fetch(`${url}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [bridgeTokenHeader]: token },
    body: JSON.stringify({ op, ...request }),
  });
  const body = (await response.json()) as BridgeResponse<BridgeOps[K]['result']>;
  if (!body.ok) throw new Error(`bridge ${op}: ${body.error}`);
  return body.result;
}

/**
 * Prints a line in the runner's terminal, in order with the test results. (Plain console
 * output of the extension host also arrives, through the workbench's codeAutomationLog, but
 * later; VS Code owns the host's console methods, so they cannot be redirected.)
 */
export async function testLog(text: string): Promise<void> {
  if (!bridgeAvailable()) {
    console.log(text);
    return;
  }
  await callBridge('testEvent', { event: { kind: 'log', level: 'log', text } });
}
