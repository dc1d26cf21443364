/**
 * `outguard held`, `outguard release ID`, `outguard discard ID`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { discardHeld, releaseHeld, type HeldActionDeps, type HeldActionResult } from '../approvals/held.js';
import { MAX_LIST_LIMIT, type MessageRecord } from '../store/index.js';
import { CliError, commandLogger, settings, storeFrom } from './runtime.js';


export async function heldCommand(options: { json?: boolean }): Promise<void> {
  const { config } = settings();
  const store = await storeFrom(config, commandLogger(config), { mustExist: true });
  try {
    const held = await store.listMessages({ state: 'held', limit: MAX_LIST_LIMIT });
    if (options.json) {
      process.stdout.write(JSON.stringify(held.map(heldSummary), null, 2) + '\n');
      return;
    }
    if (held.length === MAX_LIST_LIMIT) {
      // XXX: the store lists at most MAX_LIST_LIMIT rows; paging comes with the admin console.
      process.stderr.write(`outguard: showing the newest ${MAX_LIST_LIMIT} held messages only\n`);
    }
    if (held.length === 0) {
      process.stdout.write('no held messages\n');
      return;
    }
    for (const m of held) {
      process.stdout.write(
        `${m.id}  ${m.queueId ?? '-'}  ${m.receivedAt.toISOString()}  ${m.sender || '<>'} -> ` +
          `${m.recipients.join(',')}  rule=${m.ruleId ?? 'default'}  ${m.reason}  "${m.subject}"\n`,
      );
    }
  } finally {
    await store.close();
  }
}

function heldSummary(m: MessageRecord) {
  return {
    id: m.id,
    queueId: m.queueId,
    receivedAt: m.receivedAt.toISOString(),
    sender: m.sender,
    recipients: m.recipients,
    subject: m.subject,
    rule: m.ruleId,
    reason: m.reason,
    findings: m.findings.map((f) => ({
      type: f.type,
      ...(f.label !== undefined ? { label: f.label } : {}),
      masked: f.masked,
      location: f.location,
    })),
  };
}

export function releaseCommand(id: string, options: { actor: string }): Promise<void> {
  return decide(id, (deps) => releaseHeld(deps, id, { actor: `cli:${options.actor}` }), 'released');
}

export function discardCommand(id: string, options: { actor: string; reason?: string }): Promise<void> {
  return decide(
    id,
    (deps) =>
      discardHeld(deps, id, { actor: `cli:${options.actor}`, ...(options.reason ? { reason: options.reason } : {}) }),
    'discarded',
  );
}

async function decide(
  id: string,
  action: (deps: HeldActionDeps) => Promise<HeldActionResult>,
  done: string,
): Promise<void> {
  const { config } = settings();
  const logger = commandLogger(config);
  const store = await storeFrom(config, logger, { mustExist: true });
  try {
    const postfix = { configDir: config.postfix.configDir, commandDir: config.postfix.commandDir };
    const mainCf = path.join(postfix.configDir ?? '/etc/postfix', 'main.cf');
    if (!existsSync(mainCf)) {
      const source = postfix.configDir ? 'OUTGUARD_POSTFIX_CONFIG_DIR' : 'Postfix default';
      throw new CliError(`bad setting postfix.configDir: ${mainCf} not found (${source})`, 2);
    }
    const result = await action({ store, postfix, logger });
    if (!result.ok) throw new CliError(`${id}: ${result.detail}`);
    process.stdout.write(`${result.record.id} (${result.record.queueId}) ${done}: ${result.detail}\n`);
  } finally {
    await store.close();
  }
}
