/**
 * Examples for subcommands whose own definitions do not carry one, so every `--help` ends with a
 * copy-paste example (the CLI contract asks for one on every command and subcommand).
 */
import type { Command } from 'commander';

const EXAMPLES: Record<string, string[]> = {
  // Groups: one line per common use, so `azs-rotate <group> --help` shows how to start.
  keys: ['azs-rotate keys list', 'azs-rotate keys export --out ./key-backup --passphrase-file kp.txt'],
  pfx: [
    'azs-rotate pfx assemble ./issued --chain ./ca --out ./pfx --password-file pw.txt --passphrase-file kp.txt',
    'azs-rotate pfx repackage old.pfx --out new.pfx --password-file old-pw.txt --new-password-file pw.txt',
  ],
  backup: [
    'azs-rotate backup create /mnt/share/Certificates --to /secure/backups/2026-11-25',
    'azs-rotate backup verify /secure/backups/2026-11-25',
  ],
  procedure: ['azs-rotate procedure list --stamp "Lab East"', 'azs-rotate procedure show 3'],
  logs: ['azs-rotate logs search "action plan" --stamp "Lab East"', 'azs-rotate logs export --format csv --out events.csv --level error'],
  bundle: ['azs-rotate bundle create --out support.zip --mask ips,hosts,users', 'azs-rotate bundle verify support.zip'],
  'keys list': ['azs-rotate keys list --json'],
  'keys export': ['azs-rotate keys export --out ./key-backup --passphrase-file kp.txt'],
  'backup create': ['azs-rotate backup create /mnt/share/Certificates --to /secure/backups/2026-11-25'],
  'backup verify': ['azs-rotate backup verify /secure/backups/2026-11-25'],
  'backup restore': ['azs-rotate backup restore /secure/backups/2026-11-25 --to /mnt/share/Certificates'],
  'backup clean': ['azs-rotate backup clean /mnt/share/Certificates --backup /secure/backups/2026-11-25'],
  'procedure list': ['azs-rotate procedure list --stamp "Lab East"'],
  'procedure start': ['azs-rotate procedure start external-certificates --stamp "Lab East" --param sharePath=\\\\fileserver\\share\\Certificates'],
  'procedure show': ['azs-rotate procedure show 3'],
  'procedure confirm': ['azs-rotate procedure confirm 3 maintenance-window --note "CAB-1234 approved"'],
  'procedure runbook': ['azs-rotate procedure runbook 3 --out runbook.html'],
  'bundle verify': ['azs-rotate bundle verify support-2026-11-25.zip'],
  'bundle open-summary': ['azs-rotate bundle open-summary support-2026-11-25.zip'],
};

function allCommands(command: Command, prefix: string[] = []): { path: string; command: Command }[] {
  return command.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [{ path: path.join(' '), command: c }, ...allCommands(c, path)];
  });
}

/** Appends the examples above to the matching commands and groups of `program`. */
export function addMissingExamples(program: Command): void {
  for (const { path, command } of allCommands(program)) {
    const lines = EXAMPLES[path];
    if (lines) command.addHelpText('after', `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  }
}
