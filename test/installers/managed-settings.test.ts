// Managed settings: the readers for each OS's deployment channel, and where
// they rank (flags, environment, managed settings, config file).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRunConfig, settingsFrom } from '../../agent/src/config.ts';
import { parsePlistXml, readDarwinManagedSettings } from '../../agent/src/managed/darwin.ts';
import { parseEnvFile, readLinuxManagedSettings } from '../../agent/src/managed/linux.ts';
import { parseRegQuery, readWindowsManagedSettings } from '../../agent/src/managed/windows.ts';
import { mobileconfig } from '../../scripts/package/macos/mobileconfig.ts';

const TOKEN = 'tet_' + 'b'.repeat(43);

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tally-managed-')), name);
  writeFileSync(path, text);
  return path;
}

describe('Linux environment file', () => {
  it('reads KEY=VALUE lines as systemd does', () => {
    expect(parseEnvFile('# settings\n\nTALLY_COLLECTOR_URL=wss://c.example\nexport TALLY_ENROLL_TOKEN="tet_x"\nTALLY_INTERVAL = \'60\'\nnot a line\n'))
      .toEqual({ TALLY_COLLECTOR_URL: 'wss://c.example', TALLY_ENROLL_TOKEN: 'tet_x', TALLY_INTERVAL: '60' });
  });

  it('maps the file onto config keys and treats empty values as unset', () => {
    const file = tempFile('agent.env', `TALLY_COLLECTOR_URL=wss://c.example\nTALLY_ENROLL_TOKEN=\nOTHER=1\n`);
    expect(readLinuxManagedSettings(file)).toEqual({ collectorUrl: 'wss://c.example' });
    expect(readLinuxManagedSettings(join(tmpdir(), 'no-such-tally-file'))).toEqual({});
  });
});

describe('macOS managed preferences', () => {
  it('parses an XML plist, skipping nested containers', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>CollectorUrl</key><string>wss://c.example/a?b=1&amp;c=2</string>
  <key>Nested</key><dict><key>CollectorUrl</key><string>no</string></dict>
  <key>IntervalSeconds</key><integer>60</integer><key>On</key><true/><key>Empty</key><string/>
</dict></plist>`;
    expect(parsePlistXml(xml)).toEqual({ CollectorUrl: 'wss://c.example/a?b=1&c=2', Nested: { CollectorUrl: 'no' }, IntervalSeconds: 60, On: true, Empty: '' });
    expect(readDarwinManagedSettings(tempFile('com.tally.agent.plist', xml))).toEqual({ collectorUrl: 'wss://c.example/a?b=1&c=2', intervalSeconds: 60 });
  });

  it('reads what the .mobileconfig we generate delivers', () => {
    const profile = parsePlistXml(mobileconfig({ customer: 'Acme Dental', serverUrl: 'wss://c.example', enrollToken: TOKEN }));
    const [settings] = profile.PayloadContent as Record<string, unknown>[];
    expect(settings).toMatchObject({ PayloadType: 'com.tally.agent', CollectorUrl: 'wss://c.example', EnrollToken: TOKEN });
    expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadScope: 'System' });
  });

  it('pins the release public key for auto-update through the profile, and the agent reads it from managed preferences', () => {
    const updatePublicKey = `ed25519:${Buffer.alloc(32, 7).toString('base64')}`;
    const xml = mobileconfig({ customer: 'Acme Dental', serverUrl: 'wss://c.example', enrollToken: TOKEN, updatePublicKey });
    const [settings] = parsePlistXml(xml).PayloadContent as Record<string, unknown>[];
    expect(settings).toMatchObject({ UpdatePublicKey: updatePublicKey });
    const plist = `<?xml version="1.0"?><plist version="1.0"><dict><key>UpdatePublicKey</key><string>${updatePublicKey}</string><key>UpdateChannel</key><string>canary</string></dict></plist>`;
    expect(readDarwinManagedSettings(tempFile('com.tally.agent.plist', plist))).toEqual({ updatePublicKey, updateChannel: 'canary' });
    expect(mobileconfig({ customer: 'Acme Dental', serverUrl: 'wss://c.example', enrollToken: TOKEN })).not.toContain('UpdatePublicKey');
  });

  it('treats a broken plist as absent', () => {
    expect(readDarwinManagedSettings(tempFile('broken.plist', '<plist><dict><key>x'))).toEqual({});
  });
});

describe('Windows registry', () => {
  const installerKey = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Tally\\Agent\r\n    CollectorUrl    REG_SZ    wss://from-msi\r\n    EnrollToken    REG_SZ    \r\n    IntervalSeconds    REG_DWORD    0x3c\r\n\r\n';
  const policyKey = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Tally\\Agent\r\n    CollectorUrl    REG_SZ    wss://from-gpo\r\n';

  it('parses reg query output', () => {
    expect(parseRegQuery(installerKey)).toEqual({ CollectorUrl: 'wss://from-msi', EnrollToken: '', IntervalSeconds: 60 });
  });

  it('lets Group Policy win over the installer, value by value', () => {
    const settings = readWindowsManagedSettings((key) => parseRegQuery(key.includes('Policies') ? policyKey : installerKey));
    expect(settings).toEqual({ collectorUrl: 'wss://from-gpo', intervalSeconds: 60 });
  });
});

describe('precedence', () => {
  const file = tempFile('config.json', JSON.stringify({ collectorUrl: 'wss://from-file', intervalSeconds: 10, logLevel: 'warn', stateDir: '/file' }));
  const managed = () => ({ collectorUrl: 'wss://from-managed', intervalSeconds: 20, enrollToken: TOKEN });

  it('is flags, then environment, then managed settings, then the config file', () => {
    const cfg = resolveRunConfig(settingsFrom({ config: file, interval: '5' }, { TALLY_COLLECTOR_URL: 'wss://from-env' }, 'linux', managed));
    expect(cfg.usageIntervalSeconds).toBe(5); // flag
    expect(cfg.collectorUrl.host).toBe('from-env'); // environment over managed
    expect(cfg.enrolmentToken).toBe(TOKEN); // managed
    expect(cfg.logLevel).toBe('warn'); // config file, where nothing else sets it
    const noEnv = resolveRunConfig(settingsFrom({ config: file }, {}, 'linux', managed));
    expect(noEnv.collectorUrl.host).toBe('from-managed'); // managed over the config file
    expect(noEnv.usageIntervalSeconds).toBe(20);
  });
});
