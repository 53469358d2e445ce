/**
 * The parts of node-forge the certificate service uses: ASN.1, RC2 and the byte-buffer utilities.
 *
 * Loading `node-forge` whole costs 50–100 ms (TLS, RSA, ciphers we never call) in every validation worker
 * thread; these modules load in a fraction of that. Each one registers itself on the shared namespace.
 */
import 'node-forge/lib/util.js';
import 'node-forge/lib/asn1.js';
import 'node-forge/lib/rc2.js';
import forge from 'node-forge/lib/forge.js';

export default forge;
