/**
 * The environment every child process of the app gets: the parent's, minus the secrets.
 *
 * The CLI receives secrets through environment variables (`AZS_PFX_PASSWORD`, …) and the environment is
 * inherited by every child by default — and from there by crash reports, `ps e`, and whatever that child
 * starts in turn. Every spawn of the services (PowerShell for the PEP, `net use` for a share) therefore
 * builds its environment here instead of inheriting it.
 */

/** Environment variables through which the CLI receives secrets; never passed on to a child. */
export const SECRET_ENV_VARIABLES = ['AZS_PEP_PASSWORD', 'AZS_SHARE_PASSWORD', 'AZS_BMC_PASSWORD', 'AZS_PFX_PASSWORD', 'AZS_NEW_PFX_PASSWORD', 'AZS_KEY_PASSPHRASE'] as const;

/** Any other variable of ours that by its name carries a secret is withheld too. */
const SECRET_ENV_PATTERN = /^AZS_.*(PASSWORD|PASSPHRASE|SECRET)/i;

/**
 * The child's environment: the base without secrets, plus `extra`.
 *
 * Left out: the variables that carry secrets to the CLI (by name), and any variable whose value is one of
 * `secrets`. `extra` must hold no secret.
 */
export function childEnvironment(base: Record<string, string | undefined>, secrets: readonly string[], extra: Record<string, string>): Record<string, string> {
  const values = new Set(secrets.filter((s) => s.length > 0));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if ((SECRET_ENV_VARIABLES as readonly string[]).includes(key.toUpperCase()) || SECRET_ENV_PATTERN.test(key)) continue;
    if (values.has(value)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}
