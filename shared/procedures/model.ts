/**
 * The shape of a rotation procedure as data: ordered steps with their reasons, version gates, automatic
 * verifiers and the command the operator would run by hand.
 *
 * Pure and free of zod: the renderer, the services, the CLI and the printable runbook all read the same
 * definitions, so a step can never look different in two places.
 */

/** Every procedure the checklist offers. */
export const PROCEDURE_IDS = [
  'external-certificates',
  'internal-secrets',
  'root-ca',
  'bmc-credential',
  'value-add-rp',
  'container-registry',
] as const;
/** A procedure id. */
export type ProcedureId = (typeof PROCEDURE_IDS)[number];

/**
 * A range of Azure Stack Hub versions (YYMM as numbers): `from` inclusive, `before` exclusive.
 *
 * An absent bound is open, so `{}` applies to every version.
 */
export interface VersionGate {
  readonly from?: number;
  readonly before?: number;
}

/** Automatic checks a step can have; each reads facts the app recorded, never the stamp itself. */
export const VERIFIER_IDS = [
  'validation-green',
  'password-rules',
  'pfx-encryption',
  'ca-transition',
  'share-tree',
  'backup-verified',
  'share-access',
  'readiness-healthy',
  'post-check-healthy',
  'rp-certificate',
] as const;
/** A verifier id. */
export type VerifierId = (typeof VERIFIER_IDS)[number];

/** A condition on a procedure parameter: it equals a value (`newUser` is `yes`), or is given or not. */
export interface ParameterCondition {
  readonly param: string;
  readonly equals?: string;
  readonly present?: boolean;
}

/** A text valid for a range of versions (and optionally one parameter value); placeholders are `{name}`. */
export interface GatedText {
  readonly gate?: VersionGate;
  readonly when?: ParameterCondition;
  readonly text: string;
}

/**
 * Timing rules of a step.
 *
 * `waitAfter` blocks confirming the step until the given minutes have passed since another step was
 * confirmed (the Event Hubs reinstall after an uninstall); `window` tracks an expected duration that starts
 * when another step is confirmed (the 3.5–4 hour Event Hubs rotation).
 */
export interface StepTiming {
  readonly waitAfter?: { readonly step: string; readonly minutes: number };
  readonly window?: { readonly fromStep: string; readonly minMinutes: number; readonly maxMinutes: number };
}

/** One step of a procedure. */
export interface ProcedureStep {
  /** Stable id, stored with confirmations; never reused for another meaning. */
  readonly id: string;
  readonly title: string;
  /** Why the step exists, in the project's words; shown beside the step and in the runbook. */
  readonly why: string;
  /** Versions the step applies to; absent for all. */
  readonly gate?: VersionGate;
  /** Automatic verifiers; the step turns green on its own when all of them pass. */
  readonly verifiers?: readonly VerifierId[];
  /** Command variants, the first whose gate matches is shown. */
  readonly commands?: readonly GatedText[];
  /** Version-dependent remarks (pre-1811 variants, 1903 CA rules, 1910 BMC, 2108 root CA). */
  readonly notes?: readonly GatedText[];
  /** Things to check after the step (documented failure symptoms). */
  readonly checks?: readonly string[];
  readonly timing?: StepTiming;
  /** Applies only when a parameter has a value (a new registry user, an uninstall). */
  readonly when?: ParameterCondition;
  /** Optional steps do not hold back completion (the reinstall after an uninstall that may never happen). */
  readonly optional?: boolean;
}

/** A parameter the operator enters when starting a procedure; never a secret. */
export interface ProcedureParameter {
  readonly key: string;
  readonly label: string;
  readonly help: string;
  readonly required: boolean;
  /** Example shown as the field's placeholder. */
  readonly example: string;
  /** Validation rule id applied by `parameterProblems`. */
  readonly rule?: 'package-id' | 'product-id' | 'path' | 'plain-name' | 'bmc-user' | 'thumbprint' | 'yes-no' | 'url';
  /** Value used when the operator leaves the field empty. */
  readonly defaultValue?: string;
}

/** One procedure. */
export interface ProcedureDefinition {
  readonly id: ProcedureId;
  readonly title: string;
  /** One sentence: when to run it. */
  readonly summary: string;
  /** Versions the whole procedure exists for. */
  readonly gate?: VersionGate;
  /** Where the commands run. */
  readonly shell: 'PEP session' | 'Admin PowerShell' | 'User PowerShell';
  readonly parameters: readonly ProcedureParameter[];
  readonly steps: readonly ProcedureStep[];
}

/** Turns a `YYMM` version into a number, or null when it is not one. */
export function versionNumber(version: string | null | undefined): number | null {
  if (!version || !/^\d{4}$/.test(version)) return null;
  return Number(version);
}

/**
 * True when `version` lies inside `gate`.
 *
 * An unknown version only passes a gate without bounds: showing a step that may not apply is safer than
 * guessing, but a gated step needs the version to be decided.
 */
export function gateApplies(gate: VersionGate | undefined, version: string | null | undefined): boolean {
  if (!gate || (gate.from === undefined && gate.before === undefined)) return true;
  const n = versionNumber(version);
  if (n === null) return false;
  if (gate.from !== undefined && n < gate.from) return false;
  if (gate.before !== undefined && n >= gate.before) return false;
  return true;
}

/** Describes a gate for people, e.g. "1811 and later", "before 1811", "1903 to 2107". */
export function describeGate(gate: VersionGate | undefined): string {
  if (!gate || (gate.from === undefined && gate.before === undefined)) return 'every version';
  if (gate.from !== undefined && gate.before !== undefined) return `${gate.from} up to (not including) ${gate.before}`;
  if (gate.from !== undefined) return `${gate.from} and later`;
  return `before ${gate.before}`;
}

/** True when a parameter condition holds (no condition always holds). */
export function conditionHolds(condition: ParameterCondition | undefined, params: Readonly<Record<string, string>>): boolean {
  if (!condition) return true;
  const value = (params[condition.param] ?? '').trim();
  if (condition.present !== undefined && (value !== '') !== condition.present) return false;
  return condition.equals === undefined || value.toLowerCase() === condition.equals.toLowerCase();
}

/** The first text whose gate and condition match, or null. */
export function pickGated(
  texts: readonly GatedText[] | undefined,
  version: string | null | undefined,
  params: Readonly<Record<string, string>> = {},
): string | null {
  return texts?.find((t) => gateApplies(t.gate, version) && conditionHolds(t.when, params))?.text ?? null;
}

/** Every text whose gate and condition match, in order (notes may stack). */
export function allGated(
  texts: readonly GatedText[] | undefined,
  version: string | null | undefined,
  params: Readonly<Record<string, string>> = {},
): string[] {
  return (texts ?? []).filter((t) => gateApplies(t.gate, version) && conditionHolds(t.when, params)).map((t) => t.text);
}

/** The steps of a procedure that apply to a version (and the parameters), in order. */
export function stepsForVersion(
  definition: ProcedureDefinition,
  version: string | null | undefined,
  params: Readonly<Record<string, string>> = {},
): ProcedureStep[] {
  return definition.steps.filter((s) => gateApplies(s.gate, version) && conditionHolds(s.when, params));
}
