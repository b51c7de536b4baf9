// A configuration profile carrying the agent's settings as managed
// preferences of the domain com.tally.agent. macOS writes them to
// /Library/Managed Preferences/com.tally.agent.plist, which the agent reads
// (agent/src/managed/darwin.ts) after flags and environment.
import { createHash } from 'node:crypto';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A stable UUID from a name: re-generating a customer's profile replaces it in the MDM instead of adding a second. */
function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

export interface MobileconfigInput {
  customer: string;
  serverUrl: string;
  enrollToken: string;
  /** HTTP(S) proxy for the collector connection (key ProxyUrl), when the customer's network needs one. */
  proxyUrl?: string;
  /** The release public key pinned for auto-update (key UpdatePublicKey). */
  updatePublicKey?: string;
}

export function mobileconfig({ customer, serverUrl, enrollToken, proxyUrl, updatePublicKey }: MobileconfigInput): string {
  const key = (k: string, v: string) => `      <key>${k}</key>\n      <string>${escapeXml(v)}</string>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadType</key>
  <string>Configuration</string>
  <key>PayloadVersion</key>
  <integer>1</integer>
  <key>PayloadScope</key>
  <string>System</string>
  <key>PayloadIdentifier</key>
  <string>com.tally.agent.profile</string>
  <key>PayloadUUID</key>
  <string>${nameUuid(`profile:${customer}`)}</string>
  <key>PayloadDisplayName</key>
  <string>Tally Agent settings (${escapeXml(customer)})</string>
  <key>PayloadOrganization</key>
  <string>Tally</string>
  <key>PayloadRemovalDisallowed</key>
  <true/>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadType</key>
      <string>com.tally.agent</string>
      <key>PayloadVersion</key>
      <integer>1</integer>
      <key>PayloadIdentifier</key>
      <string>com.tally.agent.settings</string>
      <key>PayloadUUID</key>
      <string>${nameUuid(`settings:${customer}`)}</string>
      <key>PayloadDisplayName</key>
      <string>Tally Agent</string>
${key('CollectorUrl', serverUrl)}${key('EnrollToken', enrollToken)}${proxyUrl ? key('ProxyUrl', proxyUrl) : ''}${updatePublicKey ? key('UpdatePublicKey', updatePublicKey) : ''}    </dict>
  </array>
</dict>
</plist>
`;
}
