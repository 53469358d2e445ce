// Subpath modules of node-forge: each adds its part to the one namespace `node-forge/lib/forge` exports,
// typed by @types/node-forge.
declare module 'node-forge/lib/forge.js' {
  import forge from 'node-forge';
  export default forge;
}
declare module 'node-forge/lib/util.js';
declare module 'node-forge/lib/asn1.js';
declare module 'node-forge/lib/rc2.js';
