/**
 * zod schemas of stamp profiles for the IPC contract, built on the pure field rules of `stamp.ts`.
 */
import { z } from 'zod';
import type { PaasProvider } from '../endpoints/catalog';
import { PAAS_PROVIDERS } from '../endpoints/catalog';
import type { Stamp, StampInput } from './stamp';
import { CA_KINDS, ercsProblem, fqdnProblem, regionProblem, stampNameProblem, versionProblem } from './stamp';

function refineWith(check: (v: string) => string | null) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
}

/** Schema of what the operator enters for a stamp; each field refined by its rule from `stamp.ts`. */
export const stampInputSchema = z.object({
  name: z.string().superRefine(refineWith(stampNameProblem)),
  region: z.string().superRefine(refineWith(regionProblem)),
  externalFqdn: z.string().superRefine(refineWith(fqdnProblem)),
  identity: z.enum(['aad', 'adfs']),
  version: z.string().superRefine(refineWith(versionProblem)),
  ercsIps: z.array(z.string()).superRefine((values, ctx) => {
    const problem = ercsProblem(values);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  currentCaKind: z.enum([...CA_KINDS, 'unknown']),
  resourceProviders: z.array(z.enum(PAAS_PROVIDERS as unknown as [PaasProvider, ...PaasProvider[]])),
  rehearsal: z.boolean().default(false),
});

/** Schema of a stored stamp profile. */
export const stampSchema = stampInputSchema.extend({
  id: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

// Compile-time checks that the schemas and the plain types agree.
const sameInput: z.ZodType<StampInput, z.input<typeof stampInputSchema>> = stampInputSchema;
const sameStamp: z.ZodType<Stamp, z.input<typeof stampSchema>> = stampSchema;
void sameInput;
void sameStamp;
