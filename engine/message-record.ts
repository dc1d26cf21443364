/**
 * Turning a milter envelope and an inspection into the store's record of the message.
 *
 * Only masked values cross this line: the subject is the masked subject, findings carry their
 * masked form, and the clear text of the message is never copied into the record.
 */
import { rawSize } from '../milter/spool.js';
import type { MessageEnvelope } from '../milter/types.js';
import type { MessageState, NewMessageRecord } from '../store/index.js';
import { CONFIDENCE_RANK } from '../detectors/index.js';
import { findingSummary, type Inspection } from './inspect.js';

export function buildRecord(
  id: string,
  envelope: MessageEnvelope,
  inspection: Inspection | null,
  state: MessageState,
  failure?: string,
): NewMessageRecord {
  const macros = envelope.macros;
  return {
    id,
    queueId: envelope.queueId,
    clientAddress: envelope.connect?.address ?? macros['{client_addr}'] ?? null,
    clientName: envelope.connect?.hostname ?? macros['{client_name}'] ?? null,
    helo: envelope.helo,
    sender: envelope.sender ?? '',
    recipients: [...envelope.recipients],
    messageId: inspection?.extracted.messageId ?? headerValue(envelope, 'message-id'),
    // Without an inspection there are no masks to apply, so the subject is not kept at all.
    subject: inspection ? inspection.maskedSubject : '',
    size: rawSize(envelope.raw),
    attachmentNames: (inspection?.attachments ?? []).map((a) => a.filename ?? '(unnamed)'),
    action: inspection ? inspection.decision.action : state === 'held' ? 'hold' : 'tempfail',
    ruleId: inspection?.decision.ruleId ?? null,
    reason: inspection ? reasonWithCut(inspection) : `inspection failed: ${failure ?? 'unknown error'}`,
    state,
    findings: recordedFindings(inspection).map(findingSummary),
    problems: (inspection?.problems ?? []).map((p) => ({ code: p.code, location: p.location, detail: p.detail })),
    receivedAt: new Date(),
  };
}

/**
 * Findings written to the record: at most MAX_RECORDED_FINDINGS, the most confident first (in
 * message order among equals). An export of a customer table holds thousands; the record is for
 * people reviewing the message, and the decision was taken on all of them.
 */
export const MAX_RECORDED_FINDINGS = 1000;

function recordedFindings(inspection: Inspection | null): Inspection['findings'] {
  const findings = inspection?.findings ?? [];
  if (findings.length <= MAX_RECORDED_FINDINGS) return findings;
  const order = [...findings.keys()].sort(
    (a, b) => CONFIDENCE_RANK[findings[b]!.confidence] - CONFIDENCE_RANK[findings[a]!.confidence] || a - b,
  );
  return order.slice(0, MAX_RECORDED_FINDINGS).sort((a, b) => a - b).map((i) => findings[i]!);
}

function reasonWithCut(inspection: Inspection): string {
  const dropped = inspection.findings.length - MAX_RECORDED_FINDINGS;
  const { reason } = inspection.decision;
  return dropped > 0 ? `${reason} (${dropped} more findings not recorded)` : reason;
}

function headerValue(envelope: MessageEnvelope, name: string): string | null {
  const header = envelope.headers.find((h) => h.name.toLowerCase() === name);
  return header ? header.value.trim() : null;
}
