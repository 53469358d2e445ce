/**
 * `azs-rotate rotate external|internal|bmc`: pre-flight, then the PEP run, every event recorded as it arrives.
 *
 * Exit 0 when the action plan completed, 1 when the run failed or its outcome is unknown (interrupted),
 * 2 when pre-flight refused it (or on usage errors). `--simulate` (or a rehearsal stamp) sends the run to
 * the built-in PEP simulator. Secrets come from files, environment variables or a hidden prompt, are
 * handed to PowerShell on stdin, and are never printed or stored.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { RotationKind, RunEvent, SimScenario } from '../../../shared/rotation/rotation-run';
import { parseSimScenario, ROTATION_KINDS, SIM_SCENARIO_NAMES } from '../../../shared/rotation/rotation-run';
import type { PreflightCheck, RotationSecrets } from '../../services/rotation';
import type { Store, StoredRotationRun } from '../../services/store';
import { BMC_PASSWORD, PEP_PASSWORD, PFX_PASSWORD, SHARE_PASSWORD, addSecretOptions, readSecret } from '../secrets';
import { colorsFor, startProgress, table, type Progress } from '../terminal';
import { EXIT, UsageError } from '../usage-error';
import { cliActor } from '../actor';
import { requireStamp, withStore } from './stamp';

interface RotateOptions {
  stamp?: string;
  share?: string;
  pfxFilesPath?: string;
  pepUser?: string;
  shareUser?: string;
  bmcUser?: string;
  bypassBmcUpdate?: boolean;
  rerun?: boolean;
  simulate?: string;
  simSeconds?: string;
  json?: boolean;
}

const KIND_TITLE: Record<RotationKind, string> = {
  external: 'external certificates',
  internal: 'internal secrets',
  bmc: 'BMC credential',
};

function clock(iso: string): string {
  return iso.slice(11, 19);
}

/** `65` → `1m 05s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}


function levelTag(level: RunEvent['level'], c: ReturnType<typeof colorsFor>): string {
  switch (level) {
    case 'error':
      return c.red('ERROR  ');
    case 'warning':
      return c.yellow('WARN   ');
    case 'verbose':
      return c.dim('VERBOSE');
    default:
      return c.dim('INFO   ');
  }
}

function printChecks(checks: readonly PreflightCheck[]): string {
  const c = colorsFor(process.stdout);
  const status = (s: PreflightCheck['status']) => (s === 'ok' ? c.green('ok') : s === 'warning' ? c.yellow('warning') : c.red('FAIL'));
  return table(['Pre-flight check', 'Status', 'Finding'], checks.map((k) => [k.id, status(k.status), k.hint && k.status !== 'ok' ? `${k.message} → ${k.hint}` : k.message]), !!process.stdout.isTTY);
}

function summaryLine(run: StoredRotationRun, refused: boolean): string {
  const c = colorsFor(process.stdout);
  const took = run.endedAt ? ` in ${formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt))}` : '';
  const what = `${KIND_TITLE[run.kind]} of ${run.stamp} (run ${run.id}${run.rehearsal ? ', rehearsal' : ''})`;
  const via = run.ercs ? ` via ${run.ercs}` : '';
  const plan = run.actionPlanInstanceId ? `, action plan ${run.actionPlanInstanceId}` : '';
  if (run.state === 'succeeded') return `${c.green('SUCCEEDED')}: ${what}${took}${via}${plan}. ${run.outcome ?? ''}`.trimEnd();
  if (refused) return `${c.red('REFUSED')}: ${what} was not started. ${run.outcome ?? ''}`.trimEnd();
  if (run.state === 'interrupted') return `${c.yellow('INTERRUPTED — outcome unknown')}: ${what}${took}${via}${plan}. ${run.outcome ?? ''}`.trimEnd();
  return `${c.red('FAILED')}: ${what}${took}${via}${plan}. ${run.outcome ?? ''}`.trimEnd();
}

function parseSimulation(options: RotateOptions, rehearsalStamp: boolean): { scenario: SimScenario; seconds: number } | null {
  let seconds: number | null = null;
  if (options.simSeconds !== undefined) {
    seconds = Number(options.simSeconds);
    if (!/^\d+(\.\d+)?$/.test(options.simSeconds) || seconds > 86_400) throw new UsageError(`--sim-seconds: "${options.simSeconds}" is not a number of seconds from 0 to 86400.`);
    if (options.simulate === undefined && !rehearsalStamp) throw new UsageError('--sim-seconds is used with --simulate SCENARIO (or a rehearsal stamp).');
  }
  if (options.simulate === undefined) return rehearsalStamp ? { scenario: { kind: 'success' }, seconds: seconds ?? 60 } : null;
  const scenario = parseSimScenario(options.simulate);
  if ('problem' in scenario) throw new UsageError(`--simulate: ${scenario.problem}`);
  return { scenario, seconds: seconds ?? 60 };
}

async function readSecrets(kind: RotationKind, options: RotateOptions): Promise<RotationSecrets> {
  const opts = options as Record<string, unknown>;
  const secrets: RotationSecrets = { pep: await readSecret(opts, PEP_PASSWORD) };
  if (kind === 'external') {
    secrets.certificate = await readSecret(opts, PFX_PASSWORD);
    if (!options.rerun) secrets.share = await readSecret(opts, SHARE_PASSWORD);
  }
  if (kind === 'bmc') secrets.bmc = await readSecret(opts, BMC_PASSWORD);
  return secrets;
}

/** Registers `rotate`. */
export function registerRotate(program: Command): void {
  const command = program
    .command('rotate')
    .summary('run a secret rotation through the PEP (or the simulator)')
    .description(
      'Pre-flight (stamp facts, inputs, password rules, the share validated green, the PEP\'s rerun rule), then the PEP run: ' +
        'a PEP session on the first reachable ERCS VM, Get-AzureStackStampInformation, Test-AzureStack -Group SecretRotationReadiness, ' +
        'Start-SecretRotation (or Set-BmcCredential), the post-check for external certificates, and Remove-PSSession. ' +
        'Every event is recorded in the app\'s database as it arrives (see runs show).\n' +
        'Exit code 0 when the action plan completed, 1 when the run failed or its outcome is unknown, 2 when pre-flight refused it or on usage errors.\n' +
        'Secrets: --pep-password-file (AZS_PEP_PASSWORD); external: --password-file (PFX, AZS_PFX_PASSWORD) and --share-password-file (AZS_SHARE_PASSWORD); bmc: --bmc-password-file (AZS_BMC_PASSWORD). ' +
        'PowerShell: AZS_PWSH, else the app setting, else powershell.exe (Windows) or pwsh.',
    )
    .argument('<procedure>', `what to rotate: ${ROTATION_KINDS.join(', ')}`)
    .option('--stamp <name>', 'the stamp profile (see stamp list)')
    .option('--share <dir>', 'external: the Certificates folder as this machine sees it (validated before the run)')
    .option('--pfx-files-path <unc>', 'external: the same folder as the ERCS VMs see it, \\\\host\\share\\…\\Certificates')
    .option('--pep-user <user>', 'the PEP user, DOMAIN\\CloudAdmin')
    .option('--share-user <user>', 'external: the account of -PathAccessCredential, DOMAIN\\user')
    .option('--bmc-user <user>', 'bmc: the BMC user name (16 characters at most, the same on every BMC)')
    .option('--bypass-bmc-update', 'bmc: update only Azure Stack Hub\'s record, not the BMCs (-BypassBMCUpdate)')
    .option('--rerun', 'rerun after a failed rotation (-ReRun)')
    .option('--simulate <scenario>', `rehearse against the PEP simulator: ${SIM_SCENARIO_NAMES.join(', ')}`)
    .option('--sim-seconds <n>', 'length of the simulated hour in seconds (default 60)')
    .option('--json', 'print the run as JSON (schemaVersion 1) when it ends');
  addSecretOptions(command, PEP_PASSWORD);
  addSecretOptions(command, PFX_PASSWORD);
  addSecretOptions(command, SHARE_PASSWORD);
  addSecretOptions(command, BMC_PASSWORD);
  command.addHelpText(
    'after',
    '\nExamples:\n' +
      '  azs-rotate rotate external --stamp Lab --share /mnt/rotation/Certificates --pfx-files-path \\\\10.0.0.5\\rotation\\Certificates \\\n' +
      '      --pep-user AZURESTACK\\CloudAdmin --share-user CONTOSO\\svc-rotate --pep-password-file pep.txt --password-file pfx.txt --share-password-file share.txt\n' +
      '  azs-rotate rotate external --stamp Lab --share /mnt/rotation/Certificates --simulate fail-at-step:2 --sim-seconds 5\n' +
      '  azs-rotate rotate internal --stamp Lab --rerun --pep-password-file pep.txt',
  );
  command.action(async (procedure: string, options: RotateOptions, self: Command) => {
    if (!(ROTATION_KINDS as readonly string[]).includes(procedure)) throw new UsageError(`"${procedure}" is not a procedure: use ${ROTATION_KINDS.join(', ')}.`);
    const kind = procedure as RotationKind;
    if (!options.stamp) throw new UsageError('Missing --stamp NAME (the stamp profile to rotate; see stamp list).');
    if (kind !== 'external' && (options.share || options.pfxFilesPath || options.shareUser)) throw new UsageError('--share, --pfx-files-path and --share-user belong to the external procedure.');
    if (kind !== 'bmc' && (options.bmcUser || options.bypassBmcUpdate)) throw new UsageError('--bmc-user and --bypass-bmc-update belong to the bmc procedure.');
    const json = options.json === true || self.optsWithGlobals().json === true;
    await withStore(self, async (store) => {
      const stamp = requireStamp(store, options.stamp!);
      const simulate = parseSimulation(options, stamp.rehearsal);
      const secrets = await readSecrets(kind, options);
      await runRotate(store, kind, stamp.name, options, simulate, secrets, json);
    });
  });
}

async function runRotate(
  store: Store,
  kind: RotationKind,
  stampName: string,
  options: RotateOptions,
  simulate: { scenario: SimScenario; seconds: number } | null,
  secrets: RotationSecrets,
  json: boolean,
): Promise<void> {
  const { executeRotation, runJson } = await import('../../services/rotation');
  const { resolvePowerShell, standInLauncher } = await import('../../services/pep');
  const c = colorsFor(process.stdout);
  const stamp = requireStamp(store, stampName);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write('\nazs-rotate: stopping. An action plan already started continues on the stamp; the run will be recorded with what is known. Press Ctrl-C again to stop at once.\n');
      controller.abort();
    } else {
      process.exit(EXIT.failures);
    }
  };
  process.on('SIGINT', onSigint);

  // A holder rather than a `let`: the bar is created inside a callback, which TypeScript's narrowing cannot see.
  const ui: { progress: Progress | null } = { progress: null };
  let estimate = 3600;
  let label = 'pre-flight';
  let started = Date.now();
  const tick = setInterval(() => {
    const elapsed = Math.round((Date.now() - started) / 1000);
    ui.progress?.update(Math.min(elapsed, Math.max(estimate - 1, 1)), estimate, label);
  }, 1000);
  tick.unref();
  const write = (text: string) => {
    // Clear the progress line (on stderr) so the bar does not end up inside a log line.
    if (process.stderr.isTTY && ui.progress) process.stderr.write('\r\u001b[2K');
    process.stdout.write(text);
  };

  try {
    const powershell = resolvePowerShell({ setting: store.settings.get().pwshPath ?? null });
    const outcome = await executeRotation({
      store,
      request: {
        stamp,
        kind,
        share: options.share ? path.resolve(options.share) : null,
        pfxFilesPath: options.pfxFilesPath ?? null,
        pepUser: options.pepUser ?? null,
        shareUser: options.shareUser ?? null,
        bmcUser: options.bmcUser ?? null,
        bypassBmcUpdate: options.bypassBmcUpdate === true,
        rerun: options.rerun === true,
        simulate,
        source: 'cli',
      },
      secrets,
      powershell,
      simulator: standInLauncher(powershell),
      simStateDir: path.join(store.dataDir, 'pep-sim'),
      signal: controller.signal,
      onCreated(run) {
        started = Date.parse(run.startedAt);
        estimate = Number(run.parameters.estimateSeconds) || estimate;
        store.audit.append({ actor: cliActor(), action: 'rotation.start', subject: `rotation:${run.id}`, detail: { stamp: run.stamp, kind: run.kind, rehearsal: run.rehearsal, scenario: run.scenario } });
        if (!json) {
          write(`${c.bold(`Rotation of ${run.stamp}: ${KIND_TITLE[kind]}`)}${run.rehearsal ? c.yellow(` — REHEARSAL against the PEP simulator (${run.scenario})`) : ''}, run ${run.id}\n`);
          ui.progress = startProgress('Rotating', 0, 's');
        }
      },
      onEvents(_run, events) {
        if (json) return;
        const checks = events.filter((e) => e.type === 'preflight.check');
        if (checks.length > 0) {
          write(`${printChecks(checks.map((e) => ({ id: String(e.data?.id ?? ''), status: (e.data?.status as PreflightCheck['status']) ?? 'ok', message: e.text, hint: null })))}\n`);
        }
        for (const e of events) {
          // Checks print as a table above, next steps with the summary below.
          if (e.type === 'preflight.check' || e.type === 'run.next-steps' || e.level === 'debug') continue;
          if (e.type === 'action-plan.step' && typeof e.data?.name === 'string') label = e.data.name;
          if (e.type === 'step.started') label = e.text;
          const text = e.text.includes('\n') ? `\n${e.text.replace(/^\n+|\n+$/g, '')}` : e.text;
          write(`${c.dim(clock(e.at))} ${levelTag(e.level, c)} ${text}\n`);
        }
      },
      onState(run) {
        if (run.state === 'running') label = 'rotation running';
      },
    });
    ui.progress?.stop();
    const run = outcome.run;
    store.audit.append({ actor: cliActor(), action: 'rotation.finish', subject: `rotation:${run.id}`, detail: { state: run.state, refused: outcome.refused } });
    if (json) {
      process.stdout.write(`${JSON.stringify(runJson(run, store.rotations.events(run.id)), null, 2)}\n`);
    } else {
      const lines = ['', summaryLine(run, outcome.refused)];
      for (const step of outcome.nextSteps) lines.push(`  ${c.dim('→')} ${step}`);
      lines.push(c.dim(`Recorded as run ${run.id}: azs-rotate runs show ${run.id}`));
      write(`${lines.join('\n')}\n`);
    }
    process.exitCode = outcome.refused ? EXIT.usage : run.state === 'succeeded' ? EXIT.ok : EXIT.failures;
  } finally {
    ui.progress?.stop();
    clearInterval(tick);
    process.off('SIGINT', onSigint);
  }
}
