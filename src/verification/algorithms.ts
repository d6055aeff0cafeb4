import { verify } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { x509 } from '../certificates/parse.ts';
import { ExclusiveCanonicalization } from 'xml-crypto/lib/exclusive-canonicalization.js';
import { EnvelopedSignature } from 'xml-crypto/lib/enveloped-signature.js';
import { Sha256 } from 'xml-crypto/lib/hash-algorithms.js';
import { ECDSA_SHA256, RSA_SHA256 } from '../signing/signer.ts';

/**
 * The signature profile, as URIs: the only algorithms a document may name.
 * SHA-1 (collisions), HMAC (a shared secret is no signature: whoever can
 * check it can forge it), inclusive and with-comments C14N, XPath/XSLT and
 * every other transform are outside it.
 */
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const SIGNATURE_METHODS = [RSA_SHA256, ECDSA_SHA256] as const;

/**
 * A verify-only xml-crypto algorithm for one signature method that accepts
 * only keys of its own type (an EC key never verifies an "RSA-SHA256"
 * signature). XML-DSig carries ECDSA signatures as r||s (RFC 4050).
 */
function verifyOnly(uri: string, keyType: 'rsa' | 'ec') {
  return class {
    getAlgorithmName(): string {
      return uri;
    }
    getSignature(): never {
      throw new Error('the verifier does not sign');
    }
    verifySignature(material: string, key: string, signatureValue: string): boolean {
      // The signer's certificate, as parsed once for the chain (parse.ts), not parsed again here.
      const publicKey = x509(key).publicKey;
      if (publicKey.asymmetricKeyType !== keyType) return false;
      const options = keyType === 'ec' ? { key: publicKey, dsaEncoding: 'ieee-p1363' as const } : publicKey;
      return verify('sha256', Buffer.from(material), options, Buffer.from(signatureValue, 'base64'));
    }
  };
}

/**
 * An xml-crypto verifier that knows the profile's algorithms and nothing
 * else. The profile check reads the algorithms first, but if it and the
 * library ever disagreed about which element names them, the library could
 * only fail: SHA-1, HMAC, inclusive C14N and the other transforms are not
 * registered at all, so a disagreement is impossible rather than checked.
 */
export function profileVerifier(publicCert: string): SignedXml {
  const sig = new SignedXml({
    publicCert,
    // Never take the key from KeyInfo: the chain decided which key counts.
    getCertFromKeyInfo: () => null,
  });
  // References are resolved by "Id" only: the profile's documents use no other
  // spelling, and the verifier's coverage check has already refused an Id
  // that is not unique across Id, ID and id (the library's default searches
  // the whole document once per spelling, for every reference).
  sig.idAttributes = ['Id'];
  sig.CanonicalizationAlgorithms = { [EXC_C14N]: ExclusiveCanonicalization, [ENVELOPED]: EnvelopedSignature } as never;
  sig.HashAlgorithms = { [SHA256]: Sha256 } as never;
  sig.SignatureAlgorithms = { [RSA_SHA256]: verifyOnly(RSA_SHA256, 'rsa'), [ECDSA_SHA256]: verifyOnly(ECDSA_SHA256, 'ec') } as never;
  return sig;
}
