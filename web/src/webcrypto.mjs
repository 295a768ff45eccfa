// WebCrypto for the core's authorization effects: DPoP keys (RFC 9449) and
// ES256 signatures, and raw bytes as hex for the trip into the core.

// Raw bytes travel to the core as hex (Embind converts strings as UTF-8).
export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// DPoP (RFC 9449): a fresh ES256 key pair for this client; the private key
// never leaves WebCrypto (non-extractable), the core gets the public JWK.
export async function withDpopKey(oauth) {
  const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const { kty, crv, x, y } = await globalThis.crypto.subtle.exportKey('jwk', pair.publicKey);
  const seed = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return {
    ...oauth,
    dpopKeyId: 'mcpw-dpop',
    dpopAlg: 'ES256',
    dpopPublicJwk: JSON.stringify({ kty, crv, x, y }),
    dpopSeedHex: toHex(seed),
    signingKeys: { ...oauth.signingKeys, 'mcpw-dpop': pair.privateKey },
  };
}

// ES256 (RFC 7518 §3.4): WebCrypto's ECDSA signature is already raw r||s.
export async function signJwt(key, alg, input) {
  if (!key || alg !== 'ES256') throw new Error('no signing key for ' + alg);
  const sig = new Uint8Array(await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key,
    new TextEncoder().encode(input)));
  let bin = '';
  for (const b of sig) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
