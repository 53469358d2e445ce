/**
 * Reads secrets for CLI commands: from a file (first line), an environment variable, or a hidden prompt.
 *
 * Secrets are never accepted as flag values (they would land in shell history and process lists);
 * the option definitions here refuse such flags with a message naming the file option and variable.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from './usage-error';

/** A secret the CLI can read, with its file option and environment variable. */
export interface SecretSource {
  /** Human name, e.g. "PFX password". */
  readonly label: string;
  /** File option without dashes, e.g. `password-file`. */
  readonly fileOption: string;
  readonly envVariable: string;
  /** Flags people try by habit that must be refused, e.g. `--password`. */
  readonly refusedFlags: readonly string[];
}

/** The PFX password of the share. */
export const PFX_PASSWORD: SecretSource = {
  label: 'PFX password',
  fileOption: 'password-file',
  envVariable: 'AZS_PFX_PASSWORD',
  refusedFlags: ['password', 'pfx-password', 'pass'],
};

/** The key-custody passphrase that protects the private keys of certificate requests at rest. */
export const KEY_PASSPHRASE: SecretSource = {
  label: 'key-custody passphrase',
  fileOption: 'passphrase-file',
  envVariable: 'AZS_KEY_PASSPHRASE',
  refusedFlags: ['passphrase', 'key-passphrase'],
};

/** The password of the account that connects to the certificate share. */
export const SHARE_PASSWORD: SecretSource = {
  label: 'share password',
  fileOption: 'share-password-file',
  envVariable: 'AZS_SHARE_PASSWORD',
  refusedFlags: ['share-password'],
};

/** The password a repackaged PFX gets (default: its current one). */
export const NEW_PFX_PASSWORD: SecretSource = {
  label: 'new PFX password',
  fileOption: 'new-password-file',
  envVariable: 'AZS_NEW_PFX_PASSWORD',
  refusedFlags: ['new-password'],
};

/** The password of the PEP user (`DOMAIN\\CloudAdmin`). */
export const PEP_PASSWORD: SecretSource = {
  label: 'PEP password',
  fileOption: 'pep-password-file',
  envVariable: 'AZS_PEP_PASSWORD',
  refusedFlags: ['pep-password', 'cloudadmin-password'],
};

/** The new password of the BMC user (`Set-BmcCredential -BmcPassword`). */
export const BMC_PASSWORD: SecretSource = {
  label: 'BMC password',
  fileOption: 'bmc-password-file',
  envVariable: 'AZS_BMC_PASSWORD',
  refusedFlags: ['bmc-password'],
};

/** Adds the file option and the refusing traps for a secret to a command. */
export function addSecretOptions(command: Command, source: SecretSource): Command {
  command.option(`--${source.fileOption} <file>`, `read the ${source.label} from the first line of FILE (or set ${source.envVariable})`);
  for (const flag of source.refusedFlags) {
    command.option(`--${flag} <value>`, undefined).hook('preAction', (thisCommand) => {
      const key = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      if (thisCommand.opts()[key] !== undefined) {
        throw new UsageError(
          `--${flag} is refused: secrets are never accepted as flag values. Put the ${source.label} in a file and pass --${source.fileOption} FILE, or set ${source.envVariable}.`,
        );
      }
    });
  }
  // Hide the traps from --help: they exist only to refuse.
  for (const option of command.options) if (source.refusedFlags.includes(option.long?.slice(2) ?? '')) option.hideHelp();
  return command;
}

async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode?.(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          stdin.off('data', onData);
          stdin.setRawMode?.(false);
          stdin.pause();
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          stdin.setRawMode?.(false);
          reject(new UsageError('Cancelled at the password prompt.'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * Reads a secret: `--<file option>` first, then the environment variable, then a hidden prompt when
 * stdin is a terminal. Throws a {@link UsageError} naming both sources when none is available.
 */
export async function readSecret(options: Record<string, unknown>, source: SecretSource): Promise<string> {
  const key = source.fileOption.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const file = options[key];
  if (typeof file === 'string') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`Cannot read the ${source.label} file ${file} (${code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'permission denied' : code}).`);
    }
    return text.split(/\r?\n/)[0] ?? '';
  }
  const fromEnv = process.env[source.envVariable];
  if (fromEnv !== undefined) return fromEnv;
  if (process.stdin.isTTY) return promptHidden(`${source.label}: `);
  throw new UsageError(`No ${source.label}: pass --${source.fileOption} FILE or set ${source.envVariable}.`);
}
