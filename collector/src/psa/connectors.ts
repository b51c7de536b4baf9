// Which connector serves which PSA. A fourth PSA is a new file and a line here.
import { autotaskConnector } from './autotask.ts';
import { connectWiseConnector } from './connectwise.ts';
import { haloConnector } from './halopsa.ts';
import type { PsaHttpOptions } from './http.ts';
import type { PsaConnector, PsaCredentials, PsaKind } from './types.ts';

export type ConnectorFactory = (kind: PsaKind, baseUrl: string, creds: PsaCredentials) => PsaConnector;

export function connectorFactory(http: Partial<PsaHttpOptions> = {}): ConnectorFactory {
  return (kind, baseUrl, creds) => {
    switch (kind) {
      case 'connectwise': return connectWiseConnector(baseUrl, creds, http);
      case 'autotask': return autotaskConnector(baseUrl, creds, http);
      case 'halopsa': return haloConnector(baseUrl, creds, http);
    }
  };
}
