/**
 * What the simulated stamps remember between simulator runs: the last action plan of each procedure.
 *
 * A real stamp remembers a failed rotation (the next run must use `-ReRun`) and keeps running an action plan
 * after the PEP session that started it is gone; one simulator process per run can only act that out with a
 * file. The file is written whole to a temporary name and renamed, so a simulator killed mid-write leaves the
 * previous state, never half a file. It holds no secret.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The plan families the PEP keeps apart: rotations (external and internal share ECE's plan) and the BMC. */
export type PlanFamily = 'rotation' | 'bmc';

/** The last action plan of a family on a simulated stamp. */
export interface SimPlanState {
  instanceId: string;
  kind: 'external' | 'internal' | 'bmc';
  /** `running` until its end time; a run whose session dropped keeps running server-side. */
  status: 'running' | 'failed' | 'completed';
  /** What a `running` plan becomes at `expectedEndAt`. */
  eventualStatus: 'failed' | 'completed';
  /** 1-based index of the step that failed (for `-ReRun` to resume from). */
  failedStep: number | null;
  startedAt: string;
  expectedEndAt: string;
}

/** The whole state file. */
export interface SimState {
  v: 1;
  stamps: Record<string, Partial<Record<PlanFamily, SimPlanState>>>;
}

/** File name of the state inside the state folder. */
export const SIM_STATE_FILE = 'pep-sim-state.json';

/** Reads the state; an absent or unreadable file is an empty state (a stamp that never rotated). */
export function readSimState(dir: string): SimState {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dir, SIM_STATE_FILE), 'utf8')) as SimState;
    if (parsed && parsed.v === 1 && parsed.stamps && typeof parsed.stamps === 'object') return parsed;
  } catch {
    // A missing or damaged file means no history, which is what a fresh stamp has.
  }
  return { v: 1, stamps: {} };
}

/** Writes the state atomically (temporary file, then rename). */
export function writeSimState(dir: string, state: SimState): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, SIM_STATE_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2));
  renameSync(temp, file);
}

/**
 * The plan as it stands at `now`: a `running` plan past its end time has become its eventual status.
 *
 * Returns a copy; the caller writes it back when it changes something else.
 */
export function settlePlan(plan: SimPlanState | undefined, now: Date): SimPlanState | undefined {
  if (!plan) return undefined;
  if (plan.status === 'running' && Date.parse(plan.expectedEndAt) <= now.getTime()) return { ...plan, status: plan.eventualStatus };
  return { ...plan };
}
