/**
 * `outguard doctor [--json]` — are the Postfix settings Outguard relies on in place?
 *
 * Exit status 0 when every check is ok or only warns, 1 when one fails (fail-open default
 * action, milter missing, Postfix not found), so it can gate a deployment script.
 */
import { checkPostfix, worstStatus } from '../mta/doctor.js';
import { settings } from './runtime.js';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export async function doctorCommand(options: { json?: boolean }): Promise<void> {
  const { config } = settings();
  const report = await checkPostfix({
    configDir: config.postfix.configDir,
    commandDir: config.postfix.commandDir,
    milterListen: config.milter.listen,
    approvalExpiryHours: config.approval.expiryHours,
  });
  const worst = worstStatus(report);
  if (options.json) {
    process.stdout.write(JSON.stringify({ status: worst, checks: report.checks }, null, 2) + '\n');
  } else {
    for (const check of report.checks) {
      process.stdout.write(`${MARK[check.status]}  ${check.id}: ${check.message}\n`);
      if (check.fix) process.stdout.write(`      fix: ${check.fix}\n`);
    }
  }
  if (worst === 'fail') process.exitCode = 1;
}
