// Console sessions: expiry, the bound on their number, token comparison.
import { describe, expect, it } from 'vitest';
import { SessionStore, sameToken } from '../../collector/src/console/sessions.ts';

describe('console sessions', () => {
  it('maps a random id to the key id and hash, and forgets it after the idle timeout', () => {
    let now = 1_000;
    const store = new SessionStore({ idleMs: 100, maxAgeMs: 1_000, now: () => now });
    const s = store.create('key-1', 'hash-1');
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.csrfToken).not.toBe(s.id);
    now += 99;
    expect(store.get(s.id)?.keyId).toBe('key-1'); // use refreshes the idle timer
    now += 99;
    expect(store.get(s.id)?.keyHash).toBe('hash-1');
    now += 100;
    expect(store.get(s.id)).toBeNull();
    expect(store.size).toBe(0);
  });

  it('ends a session at its absolute lifetime even when used all along', () => {
    let now = 0;
    const store = new SessionStore({ idleMs: 100, maxAgeMs: 250, now: () => now });
    const s = store.create('k', 'h');
    for (now = 50; now < 250; now += 50) expect(store.get(s.id)).not.toBeNull();
    expect(store.get(s.id)).toBeNull();
  });

  it('keeps at most maxSessions, dropping the least recently used', () => {
    let now = 0;
    const store = new SessionStore({ maxSessions: 3, now: () => now });
    const [a, b, c] = [store.create('a', 'ha'), store.create('b', 'hb'), store.create('c', 'hc')];
    now = 1;
    store.get(a.id); // a is now the most recent
    const d = store.create('d', 'hd');
    expect(store.size).toBe(3);
    expect(store.get(b.id)).toBeNull();
    for (const s of [a, c, d]) expect(store.get(s.id)).not.toBeNull();
  });

  it('drops every session of a key, and deletes one by id', () => {
    const store = new SessionStore();
    const [a1, a2, b] = [store.create('a', 'h'), store.create('a', 'h'), store.create('b', 'h')];
    store.deleteForKey('a');
    expect(store.get(a1.id)).toBeNull();
    expect(store.get(a2.id)).toBeNull();
    store.delete(b.id);
    expect(store.get(b.id)).toBeNull();
    expect(store.get(undefined)).toBeNull();
  });

  it('compares tokens in constant time and refuses missing ones', () => {
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abc', 'abd')).toBe(false);
    expect(sameToken('abc', 'abcd')).toBe(false);
    expect(sameToken('', '')).toBe(false);
    expect(sameToken(undefined, 'x')).toBe(false);
  });
});
