/**
 * `npm run demo`: the main job on a bare machine, with nothing else at hand.
 *
 * Generates a sample certificate share (a test CA, a full AD FS share, PaaS certificates and broken
 * variants) under ./sample, then validates the good share and a broken one with the real `azs-rotate`
 * CLI and prints both reports, exactly as an operator would see them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateFixtures } from '../test/fixtures/generate';

const out = path.resolve(process.argv[2] ?? 'sample');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const manifest = await generateFixtures(out);
const passwordFile = path.join(out, 'password.txt');
// Sample data only: the generated test CA's share password, so the demo needs no prompt.
writeFileSync(passwordFile, `${manifest.password}\n`, { mode: 0o600 });

function cli(title: string, args: string[]): number {
  const shown = args.map((a) => (/[\s]/.test(a) ? `"${a}"` : a)).join(' ');
  console.log(`\n=== ${title}\n$ azs-rotate ${shown.replaceAll(process.cwd() + path.sep, '')}\n`);
  const result = spawnSync(process.execPath, ['dist/cli/azs-rotate.mjs', ...args], { stdio: 'inherit' });
  console.log(`(exit code ${result.status})`);
  return result.status ?? 2;
}

const stamp = ['--region', manifest.region, '--fqdn', manifest.fqdn, '--password-file', passwordFile];
const good = cli('A good AD FS share with PaaS certificates (exit 0 = ready to rotate)', [
  'validate', manifest.shares.adfsValid, ...stamp, '--identity', 'adfs', '--paas-dir', manifest.shares.paasValid, '--current-ca', 'enterprise', '--stamp-version', '2108',
]);
const broken = manifest.structureVariants.find((v) => v.expectedCodes.includes('multiple-pfx'))!;
const bad = cli('A broken share: the report names every problem and what to do (exit 1)', ['validate', broken.certificatesDir, ...stamp, '--identity', broken.identity, '--current-ca', 'enterprise', '--stamp-version', '1811']);
console.log(`\nSample share: ${out} (one variant per validation rule under ${path.join(out, 'variants')}).`);
console.log('Try: npx azs-rotate inspect <file.pfx> --password-file sample/password.txt');
process.exitCode = good === 0 && bad === 1 ? 0 : 1;
