/**
 * PEP remoting: the script builder, the PowerShell transport, the output parser and the simulator.
 *
 * The one door the rotation service, the CLI and the Electron main process use for PEP work.
 */
export { buildPepScript, psQuote, secretRolesFor, stepsFor, stepTitle, SCRIPT_EXIT, type PepScript, type PepScriptRequest } from './script-builder';
export { formatHeader, parseHeader, CANCEL_MARKER, OP_HEADER_PREFIX, SECRETS_MARKER, type PepScriptHeader, type PepStep, type PepStepName, type SecretRole } from './script-header';
export {
  PepOutputParser,
  connectFailureCause,
  hintFor,
  isSuccessStatus,
  transcriptToMessages,
  type ConnectFailure,
  type ParsedFacts,
  type PepMessage,
  type PlanStep,
  type StampInformation,
  type TransportItem,
} from './parser';
export {
  nodeCommand,
  resolvePowerShell,
  runPepScript,
  POWERSHELL_ARGS,
  PWSH_ENV,
  STOP_GRACE_MS,
  type PowerShellCommand,
  type PowerShellSource,
  type TransportOptions,
  type TransportOutcome,
} from './transport';
export { createScrubber, SCRUBBED, type Scrubber } from './scrubber';
export { simulatorLauncher, type SimulatorEntry, type SimulatorRunConfig } from './simulator/launcher';
export { runPepSimulator, readSimInput, type SimIo } from './simulator/pep-simulator';
export { loadSimConfig, sha256Hex, DEFAULT_SIM_SECONDS, SIM_CONFIG_ENV, type SimConfig } from './simulator/sim-config';
export { simulatedPlanSteps, monitorGeneration } from './simulator/sim-plan';
