// A private CA and a server certificate for 127.0.0.1/localhost, made with
// openssl for each test run: nothing is committed, nothing expires in a repo.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  caCertPath: string;
  certPath: string;
  keyPath: string;
  caCert: Buffer;
  cert: Buffer;
  key: Buffer;
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'tally-pki-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Tally Test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext']);
  return {
    dir,
    caCertPath: join(dir, 'ca.crt'), certPath: join(dir, 'server.crt'), keyPath: join(dir, 'server.key'),
    caCert: readFileSync(join(dir, 'ca.crt')), cert: readFileSync(join(dir, 'server.crt')), key: readFileSync(join(dir, 'server.key')),
  };
}
