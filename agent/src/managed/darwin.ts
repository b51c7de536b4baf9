// macOS: managed preferences of the domain com.tally.agent, which a
// configuration profile (.mobileconfig from Jamf or Intune) installs as
// /Library/Managed Preferences/com.tally.agent.plist.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { MANAGED_KEYS, pickKnown, type ManagedSettings } from './keys.ts';

export const DARWIN_MANAGED_PLIST = '/Library/Managed Preferences/com.tally.agent.plist';

function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    if (e === 'amp') return '&';
    return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

/** A small recursive-descent reader of XML property lists (dict, array, string, integer, real, true, false, date, data). */
export function parsePlistXml(xml: string): Record<string, PlistValue> {
  const tokens = xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, '').match(/<[^>]+>|[^<]+/g) ?? [];
  let i = 0;
  const next = () => tokens[i++];
  const skipSpace = () => {
    while (i < tokens.length && !tokens[i].startsWith('<') && tokens[i].trim() === '') i++;
  };
  const textUntil = (close: string): string => {
    let text = '';
    while (i < tokens.length && tokens[i] !== close) text += next();
    if (next() !== close) throw new Error(`plist: missing ${close}`);
    return decodeXml(text);
  };
  const value = (): PlistValue => {
    skipSpace();
    const tag = next();
    switch (tag) {
      case '<string>': return textUntil('</string>');
      case '<string/>': return '';
      case '<integer>': return Number.parseInt(textUntil('</integer>').trim(), 10);
      case '<real>': return Number.parseFloat(textUntil('</real>').trim());
      case '<true/>': return true;
      case '<false/>': return false;
      case '<date>': return textUntil('</date>');
      case '<data>': return textUntil('</data>').replace(/\s+/g, '');
      case '<array/>': return [];
      case '<dict/>': return {};
      case '<array>': {
        const items: PlistValue[] = [];
        for (skipSpace(); tokens[i] !== '</array>'; skipSpace()) {
          if (i >= tokens.length) throw new Error('plist: unterminated <array>');
          items.push(value());
        }
        next();
        return items;
      }
      case '<dict>': {
        const dict: Record<string, PlistValue> = {};
        for (skipSpace(); tokens[i] !== '</dict>'; skipSpace()) {
          if (next() !== '<key>') throw new Error('plist: expected <key> in <dict>');
          const key = textUntil('</key>');
          dict[key] = value();
        }
        next();
        return dict;
      }
      default: throw new Error(`plist: unexpected ${tag ?? 'end of input'}`);
    }
  };
  skipSpace();
  if (next() !== '<plist version="1.0">' && !tokens[i - 1]?.startsWith('<plist')) throw new Error('plist: no <plist> element');
  const root = value();
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new Error('plist: the root is not a dictionary');
  return root;
}

/** Only scalar values are settings. */
function scalars(dict: Record<string, PlistValue>): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(dict).filter((e): e is [string, string | number | boolean] => typeof e[1] !== 'object'));
}

/** Profiles are usually stored as binary plists: plutil (always on macOS) turns them into XML. */
function plistAsXml(path: string): string {
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 6).toString('latin1') !== 'bplist') return bytes.toString('utf8');
  return execFileSync('/usr/bin/plutil', ['-convert', 'xml1', '-o', '-', path], { encoding: 'utf8', timeout: 10_000 });
}

export function readDarwinManagedSettings(path = DARWIN_MANAGED_PLIST): ManagedSettings {
  let xml: string;
  try {
    xml = plistAsXml(path);
  } catch {
    return {}; // no profile installed
  }
  try {
    return pickKnown(scalars(parsePlistXml(xml)), MANAGED_KEYS);
  } catch {
    return {}; // unreadable profile: as if absent; the missing setting is reported by the config check
  }
}
