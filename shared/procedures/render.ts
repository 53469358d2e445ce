/**
 * Fills a procedure's command templates with a stamp's values and the operator's parameters, and judges
 * those parameters.
 *
 * A value that is missing stays visible as `<label>` so the operator sees what to fill in; secrets are
 * never among the values (the templates prompt for them).
 */
import { IDENTITY_FOLDER, externalBase, paasEndpoints, type EndpointDefinition, type PaasProvider } from '../endpoints/catalog';
import type { ProcedureDefinition, ProcedureParameter } from './model';

/** The stamp facts a command may use. */
export interface CommandStamp {
  name: string;
  region: string;
  externalFqdn: string;
  identity: 'aad' | 'adfs';
  version: string;
  ercsIps: readonly string[];
}

/** Everything a template may refer to: stamp values, then parameters by key. */
export type CommandValues = Readonly<Record<string, string>>;

/** Package ids look like `Microsoft.Eventhub.1.2003.0.0`: the product id, then a dotted numeric version. */
export const PACKAGE_ID = /^Microsoft\.([A-Za-z][A-Za-z0-9]*)\.(\d+(?:\.\d+){1,3})$/;
const PRODUCT_ID = /^Microsoft\.[A-Za-z][A-Za-z0-9]*$/;
/** Characters that would break out of the single-quoted PowerShell strings the templates use. */
const UNSAFE_IN_QUOTES = /['`$\r\n;|&<>"]/;

/**
 * Checks one parameter value; returns a message naming the problem, or null when acceptable.
 *
 * `values` gives the other parameters as the commands will use them (defaults applied), because a package
 * id must belong to the product id; `defaulted` names the keys whose value is a default the operator did
 * not type, so a message can say where an unexpected value came from.
 */
export function parameterProblem(parameter: ProcedureParameter, raw: string | undefined, values: CommandValues = {}, defaulted: readonly string[] = []): string | null {
  const value = (raw ?? '').trim();
  if (!value) return parameter.required && !parameter.defaultValue ? `Enter the ${parameter.label.replace(/\s*\(.*\)$/, '').toLowerCase()}.` : null;
  if (UNSAFE_IN_QUOTES.test(value)) return `"${value}" contains a quote, $, ;, |, &, < or > that would break the command.`;
  switch (parameter.rule) {
    case 'package-id': {
      const match = PACKAGE_ID.exec(value);
      if (!match) return `"${value}" is not a package id of the form Microsoft.<RP>.<version>, for example Microsoft.Eventhub.1.2003.0.0.`;
      const product = (values.productId ?? '').trim();
      const owner = `Microsoft.${match[1]}`;
      if (product && owner.toLowerCase() !== product.toLowerCase()) {
        const source = defaulted.includes('productId') ? ' (the default when the product id is left empty)' : '';
        return `"${value}" is a package of ${owner}, not of the product id ${product}${source}: set the product id to ${owner}, or give a ${product}.<version> package id.`;
      }
      return null;
    }
    case 'product-id':
      return PRODUCT_ID.test(value) ? null : `"${value}" is not a product id of the form Microsoft.<RP>, for example Microsoft.Eventhub.`;
    case 'bmc-user':
      if (value.length > 16) return `"${value}" has ${value.length} characters: BMC user names have at most 16.`;
      return /^[A-Za-z0-9._-]+$/.test(value) ? null : `"${value}" may hold letters, digits, dots, hyphens and underscores only.`;
    case 'thumbprint':
      return /^[0-9A-Fa-f]{40}$/.test(value.replace(/[\s:]/g, '')) ? null : `"${value}" is not a SHA-1 thumbprint (40 hexadecimal digits).`;
    case 'yes-no':
      return /^(yes|no)$/i.test(value) ? null : 'Answer yes or no.';
    case 'url':
      return /^https:\/\/\S+$/.test(value) ? null : `"${value}" is not an https:// URL.`;
    case 'plain-name':
      return value.length <= 256 ? null : 'Use at most 256 characters.';
    default:
      return null;
  }
}

/**
 * Problems of every parameter of a procedure, keyed by parameter (empty object when all valid).
 *
 * Each value is checked as typed, and rules between parameters read the values with defaults applied:
 * a package id is judged against the product id the commands will really use, not an empty field.
 */
export function parameterProblems(definition: ProcedureDefinition, values: CommandValues): Record<string, string> {
  const problems: Record<string, string> = {};
  const effective = { ...values, ...normaliseParameters(definition, values) };
  const defaulted = definition.parameters.filter((p) => p.defaultValue && !(values[p.key] ?? '').trim()).map((p) => p.key);
  for (const p of definition.parameters) {
    const problem = parameterProblem(p, values[p.key], effective, defaulted);
    if (problem) problems[p.key] = problem;
  }
  return problems;
}

/** The parameter keys a procedure accepts, for messages: `productId, packageId, …` or `none`. */
export function acceptedKeys(definition: ProcedureDefinition): string {
  return definition.parameters.length > 0 ? definition.parameters.map((p) => p.key).join(', ') : 'none';
}

/** Keys given that are not parameters of the procedure (a typo, or a secret that has no place here). */
export function unknownParameterKeys(definition: ProcedureDefinition, values: CommandValues): string[] {
  const known = new Set(definition.parameters.map((p) => p.key));
  return Object.keys(values).filter((k) => !known.has(k));
}

/** The parameters with defaults applied, trimmed, thumbprints normalised to upper case without separators. */
export function normaliseParameters(definition: ProcedureDefinition, values: CommandValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of definition.parameters) {
    let value = (values[p.key] ?? '').trim() || p.defaultValue || '';
    if (p.rule === 'thumbprint' && value) value = value.replace(/[\s:]/g, '').toUpperCase();
    if (p.rule === 'yes-no' && value) value = value.toLowerCase();
    if (value) out[p.key] = value;
  }
  return out;
}

/** The values a stamp contributes to templates. */
export function stampValues(stamp: CommandStamp): Record<string, string> {
  const values: Record<string, string> = {
    stamp: stamp.name,
    region: stamp.region,
    fqdn: stamp.externalFqdn,
    base: externalBase(stamp.region, stamp.externalFqdn),
    identity: stamp.identity,
    identityFolder: IDENTITY_FOLDER[stamp.identity],
    version: stamp.version,
    ercsList: stamp.ercsIps.join(', '),
    // The WinRM TrustedHosts form: comma separated, no spaces.
    ercsTrusted: stamp.ercsIps.join(','),
  };
  stamp.ercsIps.forEach((ip, i) => {
    values[`ercs${i + 1}`] = ip;
  });
  return values;
}

/** The catalog's PaaS provider of each value-add product id (lower case) that has a certificate there. */
const PRODUCT_PROVIDERS: Readonly<Record<string, PaasProvider>> = {
  'microsoft.eventhub': 'eventhubs',
  'microsoft.iothub': 'iothub',
};

/**
 * The catalog's PaaS endpoint whose certificate a value-add product uses, or null when it has none.
 *
 * Product ids compare case-insensitively, as the admin cmdlets accept them.
 */
export function productEndpoint(productId: string): EndpointDefinition | null {
  const provider = PRODUCT_PROVIDERS[productId.trim().toLowerCase()];
  return provider ? (paasEndpoints([provider])[0] ?? null) : null;
}

/** Values derived from parameters: the PaaS endpoint a product's certificate is validated against. */
export function derivedValues(params: CommandValues): Record<string, string> {
  const endpoint = productEndpoint(params.productId ?? '');
  return endpoint ? { paasEndpoint: endpoint.name } : {};
}

/**
 * True when `offset` of `line` lies outside every PowerShell string and comment, where a bare `<` is the
 * reserved redirection operator and does not parse.
 *
 * Tracks single-quoted strings (`''` escapes a quote), double-quoted ones (backtick and `""` escape) and a `#`
 * comment that starts a token; the templates keep each string on one line.
 */
function outsidePowerShellString(line: string, offset: number): boolean {
  let state: 'code' | 'single' | 'double' = 'code';
  for (let i = 0; i < offset; i++) {
    const c = line[i]!;
    if (state === 'code') {
      if (c === "'") state = 'single';
      else if (c === '"') state = 'double';
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return false;
    } else if (state === 'single') {
      if (c === "'") {
        if (line[i + 1] === "'" && i + 1 < offset) i++;
        else state = 'code';
      }
    } else if (c === '`') i++;
    else if (c === '"') {
      if (line[i + 1] === '"' && i + 1 < offset) i++;
      else state = 'code';
    }
  }
  return state === 'code';
}

/**
 * Renders one template: `{key}` becomes the value, or `<label>` when there is none.
 *
 * Labels come from the procedure's parameters so a missing value reads as what to enter. With `powershell`
 * (commands, not titles or notes) a missing value outside a string is rendered quoted, `'<label>'`, so the
 * printed command still parses in PowerShell, where a bare `<` does not.
 */
export function renderCommand(template: string, values: CommandValues, parameters: readonly ProcedureParameter[] = [], mode: 'text' | 'powershell' = 'text'): string {
  return template.replace(/\{([A-Za-z0-9]+)\}/g, (_whole, key: string, offset: number) => {
    const value = values[key];
    if (value !== undefined && value !== '') return value;
    const parameter = parameters.find((p) => p.key === key);
    const label = parameter ? parameter.label.replace(/\s*\(.*\)$/, '') : /^ercs\d$/.test(key) ? 'ERCS VM address' : key;
    if (mode === 'powershell') {
      const lineStart = template.lastIndexOf('\n', offset - 1) + 1;
      if (outsidePowerShellString(template.slice(lineStart), offset - lineStart)) return `'<${label}>'`;
    }
    return `<${label}>`;
  });
}
