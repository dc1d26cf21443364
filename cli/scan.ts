/**
 * `outguard scan [--json] [--policy FILE] FILE.eml` — the milter's pipeline on a file.
 *
 * Needs no Postfix and no store: it prints what the milter would decide and why, with masked
 * findings only.
 */
import { readFile } from 'node:fs/promises';
import { detectionFrom } from '../config/detection.js';
import { extractionLimits } from '../config/extraction.js';
import { findingSummary, inspectMessage, type Inspection } from '../engine/inspect.js';
import { CliError, policyFrom, settings } from './runtime.js';

export interface ScanOptions {
  json?: boolean;
  policy?: string;
}

export async function scanCommand(file: string, options: ScanOptions): Promise<void> {
  const { config, file: configFile } = settings();
  const policy = policyFrom(config, options.policy);
  const detection = detectionFrom(config, configFile);
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, 2);
  }
  // In this process: a one-shot command needs no isolation from the file it was asked to read.
  const inspection = await inspectMessage(raw, { policy, detection, limits: extractionLimits(config) });
  const report = scanReport(file, raw.length, inspection);
  process.stdout.write(options.json ? JSON.stringify(report, null, 2) + '\n' : humanReport(report));
}

export function scanReport(file: string, size: number, inspection: Inspection) {
  const { decision, extracted } = inspection;
  return {
    file,
    size,
    action: decision.action,
    rule: decision.ruleId,
    reason: decision.reason,
    // `full`: every part was read; `partial`: some parts were not (see problems); `none`: the
    // message itself could not be parsed.
    inspected: inspectedLevel(inspection),
    subject: inspection.maskedSubject,
    messageId: extracted.messageId,
    counts: decision.countsByType,
    findings: inspection.findings.map(findingSummary),
    problems: inspection.problems,
    attachments: inspection.attachments,
  };
}

function inspectedLevel(inspection: Inspection): 'full' | 'partial' | 'none' {
  const codes = inspection.problems.map((p) => p.code);
  if (codes.includes('unparseable')) return 'none';
  return codes.some((c) => c !== 'charset-unknown') ? 'partial' : 'full';
}

function humanReport(report: ReturnType<typeof scanReport>): string {
  const lines = [
    `${report.file}: ${report.action}${report.rule ? ` (rule ${report.rule}: ${report.reason})` : ''}`,
  ];
  if (report.inspected === 'none') lines.push('  could not inspect: the message could not be parsed');
  if (report.inspected === 'partial') lines.push('  could not inspect every part (see problems)');
  for (const f of report.findings) {
    const type = f.label === undefined ? f.type : `${f.type}:${f.label}`;
    lines.push(`  ${type}\t${f.masked}\t${f.confidence}\t${f.location}`);
  }
  for (const p of report.problems) lines.push(`  problem ${p.code} at ${p.location}: ${p.detail}`);
  return lines.join('\n') + '\n';
}
