/**
 * Turning a milter envelope and an inspection into the store's record of the message.
 *
 * Only masked values cross this line: the subject is the masked subject, findings carry their
 * masked form, and the clear text of the message is never copied into the record.
 */
import type { MessageEnvelope } from '../milter/types.js';
import type { MessageState, NewMessageRecord } from '../store/index.js';
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
    size: envelope.raw.length,
    attachmentNames: (inspection?.attachments ?? []).map((a) => a.filename ?? '(unnamed)'),
    action: inspection ? inspection.decision.action : state === 'held' ? 'hold' : 'tempfail',
    ruleId: inspection?.decision.ruleId ?? null,
    reason: inspection ? inspection.decision.reason : `inspection failed: ${failure ?? 'unknown error'}`,
    state,
    findings: (inspection?.findings ?? []).map(findingSummary),
    problems: (inspection?.problems ?? []).map((p) => ({ code: p.code, location: p.location, detail: p.detail })),
    receivedAt: new Date(),
  };
}

function headerValue(envelope: MessageEnvelope, name: string): string | null {
  const header = envelope.headers.find((h) => h.name.toLowerCase() === name);
  return header ? header.value.trim() : null;
}
