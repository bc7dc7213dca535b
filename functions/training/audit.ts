// Audit events: who asked for a voice to be trained or deleted, with the consent they attested.
import { randomUUID } from 'node:crypto';
import { table } from '../store/table.ts';

export type AuditAction = 'voice_training_requested' | 'voice_deleted' | 'voice_samples_deleted';

export async function recordAudit(event: {
  tenantId: string;
  action: AuditAction;
  actor: string;
  personalityId?: string;
  details?: Record<string, unknown>;
}): Promise<void> {
  await table()
    .auditEvents.create({
      tenant_id: event.tenantId,
      id: randomUUID(),
      created_at: new Date().toISOString(),
      action: event.action,
      actor: event.actor,
      ...(event.personalityId ? { personality_id: event.personalityId } : {}),
      ...(event.details ? { details: event.details } : {}),
    })
    .go();
}
