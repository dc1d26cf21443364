/**
 * Postfix tooling: queue listing, hold release and delete, configuration checks.
 *
 * The approval service and the CLI import from here; the milter never does (it talks to
 * Postfix over the milter protocol only).
 */
export {
  DEFAULT_COMMAND_DIR,
  PostfixToolError,
  assertQueueId,
  isValidQueueId,
  postconf,
  postconfService,
  runTool,
  type PostconfOptions,
  type PostfixTool,
  type PostfixToolOptions,
  type ToolResult,
} from './postfix-tools.js';
export {
  deleteMessage,
  findQueueEntry,
  headerValues,
  listQueue,
  parseQueueJson,
  readQueueHeaders,
  releaseFromHold,
  verifyHeldMessage,
  type HeldMessageExpectation,
  type QueueActionResult,
  type QueueEntry,
  type QueueHeader,
  type QueueName,
  type QueueRecipient,
  type ReleaseOutcome,
  type VerifyResult,
} from './queue.js';
export {
  checkPostfix,
  worstStatus,
  type CheckStatus,
  type DoctorCheck,
  type DoctorReport,
  type PostfixDoctorInput,
} from './doctor.js';
export { parsePostfixTime, formatPostfixTime, type TimeUnit } from './postfix-time.js';
export { postfixMilterAddress, milterAddressMatches } from './milter-list.js';
