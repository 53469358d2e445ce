/**
 * `azs-rotate share-test`: proves list, create, read back and delete of a probe file in a share.
 */
import type { Command } from 'commander';
import type { ShareTestResult } from '../../services/preparation';
import { printJson, printLines, withPrepContext } from '../prep-support';
import { SHARE_PASSWORD, addSecretOptions, readSecret } from '../secrets';
import { colorsFor } from '../terminal';
import { EXIT } from '../usage-error';

function printShareTest(result: ShareTestResult): void {
  const c = colorsFor(process.stdout);
  const lines = [c.bold(`Share access test of ${result.path}`)];
  for (const step of result.steps) {
    const mark = step.status === 'ok' ? c.green('ok     ') : step.status === 'fail' ? c.red('FAILED ') : c.dim('skipped');
    lines.push(`  ${mark} ${step.step}${step.status === 'ok' ? c.dim(` (${step.ms} ms)`) : ''}`);
  }
  if (result.problem) {
    lines.push('', `${c.red(result.problem.code)}: ${result.problem.message}`, `  ${c.dim('→')} ${result.problem.hint}`);
  } else {
    lines.push('', c.green('The account can list, create, read back and delete files here.'));
  }
  if (result.leftover) lines.push(c.yellow(`The probe file ${result.leftover} could not be deleted; remove it by hand.`));
  printLines(lines);
}

/** Registers `share-test`. */
export function registerShareTest(program: Command): void {
  const command = program
    .command('share-test')
    .summary('prove list, create, read back and delete in a share')
    .description(
      'Lists <path>, creates a probe file, reads it back, compares and deletes it. One problem code per failure: not-found, access-denied, read-only, no-space, other.\n' +
        'On Windows, --share-user connects the UNC path with net use first (the password goes to net use on stdin, never on its command line) and disconnects afterwards; the credential is not stored.\n' +
        'Exit code 0 when every step worked, 1 when one failed, 2 on usage errors.',
    )
    .argument('<path>', 'the share folder (a mounted path, or \\\\server\\share\\folder on Windows)')
    .option('--share-user <user>', 'Windows only: connect as this account (DOMAIN\\user) with net use')
    .option('--json', 'print JSON (schemaVersion 1)');
  addSecretOptions(command, SHARE_PASSWORD);
  command.addHelpText('after', '\nExamples:\n  azs-rotate share-test /mnt/share/Certificates\n  azs-rotate share-test \\\\fs01\\rotation --share-user CONTOSO\\svc-rotate --share-password-file share-pw.txt');
  command.action(async (target: string, options: { shareUser?: string; json?: boolean }, self: Command) => {
    const credential = options.shareUser ? { user: options.shareUser, password: await readSecret(options as Record<string, unknown>, SHARE_PASSWORD) } : null;
    const result = await withPrepContext(self, async (ctx) => {
      const { testShareAccess } = await import('../../services/preparation');
      return testShareAccess({ path: target, credential }, ctx);
    });
    if (options.json) printJson(result);
    else printShareTest(result);
    process.exitCode = result.ok ? EXIT.ok : EXIT.failures;
  });
}
