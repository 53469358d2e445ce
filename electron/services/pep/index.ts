/**
 * PEP remoting: the script builder, the PowerShell bootstrap and transport, the output parser and rehearsals
 * against the stand-in PEP.
 *
 * The one door the rotation service, the CLI and the Electron main process use for PEP work.
 */
export { buildPepScript, psQuote, secretRolesFor, stepsFor, stepTitle, SCRIPT_EXIT, type PepScript, type PepScriptRequest } from './script-builder';
export { CANCEL_MARKER, SECRETS_MARKER, type PepScriptHeader, type PepStep, type PepStepName, type SecretRole } from './script-header';
export { bootstrapText, encodeCommand, powershellArguments, stdinPreamble, MODULE_END_MARKER, SCRIPT_END_MARKER } from './bootstrap';
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
  powershellExecutable,
  resolvePowerShell,
  runPepScript,
  PWSH_ENV,
  STOP_GRACE_MS,
  type PowerShellCommand,
  type PowerShellSource,
  type TransportOptions,
  type TransportOutcome,
} from './transport';
export { createScrubber, SCRUBBED, type Scrubber } from './scrubber';
export { findStandInModule, readStandInModule, runStandInPassThrough, type PassThroughIo, standInConfig, standInLauncher, STAND_IN_CONFIG_ENV, STAND_IN_MODULE, type StandInLauncher, type StandInRunConfig, type StandInStamp } from './simulator/stand-in';
export { loadSimConfig, sha256Hex, DEFAULT_SIM_SECONDS, SIM_CONFIG_ENV, type SimConfig } from './simulator/sim-config';
export { simulatedPlanSteps, monitorGeneration } from './simulator/sim-plan';
