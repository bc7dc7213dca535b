// API keys and webhooks: the keys a tenant's apps call with, and where and how events are sent to the tenant.
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useApi } from '../components/useApi.ts';
import { ApiKeysTable } from './api-keys/ApiKeysTable.tsx';
import { DeliveriesTable } from './api-keys/DeliveriesTable.tsx';
import type { WebhookDeliveryList } from './api-keys/types.ts';
import { WebhookEndpoint } from './api-keys/WebhookEndpoint.tsx';

export default function ApiKeysPage() {
  const deliveries = useApi<WebhookDeliveryList>('/api/admin/webhooks/deliveries');
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Keys for your apps, and the webhook that tells your systems what happened."
        >
          API keys and webhooks
        </Header>
      }
    >
      <SpaceBetween size="l">
        <ApiKeysTable />
        <WebhookEndpoint onDeliveryQueued={deliveries.reload} />
        <DeliveriesTable {...deliveries} />
      </SpaceBetween>
    </ContentLayout>
  );
}
