// API keys, tenant settings and webhook deliveries as answered (functions/api-keys, tenants, webhooks).

export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the secret, to tell keys apart. */
  prefix: string;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
  requests_per_minute: number;
}

export interface ApiKeyCreated extends ApiKey {
  /** The secret: in this answer only. */
  api_key: string;
}

export interface ApiKeyList {
  api_keys: ApiKey[];
}

export interface WebhookSettings {
  webhook_url: string | null;
  webhook_secret_set: boolean;
  /** Present only in the answer that made the secret. */
  webhook_secret?: string;
}

export interface WebhookSecret {
  webhook_secret: string;
  created_at: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  event_type: string;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookDeliveryList {
  deliveries: WebhookDelivery[];
}
