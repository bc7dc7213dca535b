// Recent webhook deliveries, newest first: delivered, retrying or failed, with the receiver's last answer.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { EmptyState, ErrorState } from '../../components/PageState.tsx';
import { formatTime } from './format.ts';
import type { WebhookDelivery, WebhookDeliveryList } from './types.ts';

function status(delivery: WebhookDelivery): { type: StatusIndicatorProps.Type; text: string } {
  if (delivery.status === 'delivered') return { type: 'success', text: 'Delivered' };
  if (delivery.status === 'failed') return { type: 'error', text: 'Failed' };
  if (delivery.attempts === 0) return { type: 'pending', text: 'Pending' };
  const next = delivery.next_attempt_at ? `, next try ${formatTime(delivery.next_attempt_at)}` : '';
  return { type: 'in-progress', text: `Retrying${next}` };
}

const COLUMNS: TableProps.ColumnDefinition<WebhookDelivery>[] = [
  {
    id: 'event',
    header: 'Event type',
    cell: (delivery) => delivery.event_type,
    isRowHeader: true,
    minWidth: 180,
  },
  {
    id: 'status',
    header: 'Status',
    minWidth: 130,
    cell: (delivery) => {
      const { type, text } = status(delivery);
      return <StatusIndicator type={type}>{text}</StatusIndicator>;
    },
  },
  { id: 'attempts', header: 'Attempts', cell: (delivery) => delivery.attempts },
  { id: 'code', header: 'Last status code', cell: (delivery) => delivery.last_status_code ?? '-' },
  { id: 'error', header: 'Last error', cell: (delivery) => delivery.last_error ?? '-' },
  { id: 'created', header: 'Created', cell: (delivery) => formatTime(delivery.created_at) },
  { id: 'delivered', header: 'Delivered', cell: (delivery) => formatTime(delivery.delivered_at) },
];

export function DeliveriesTable({
  data,
  error,
  loading,
  reload,
}: {
  data: WebhookDeliveryList | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}) {
  const deliveries = error ? [] : (data?.deliveries ?? []);
  return (
    <Table
      variant="container"
      items={deliveries}
      columnDefinitions={COLUMNS}
      trackBy="id"
      loading={loading && !data}
      loadingText="Loading deliveries"
      ariaLabels={{ tableLabel: 'Webhook deliveries' }}
      wrapLines
      header={
        <Header
          variant="h2"
          counter={data && !error ? `(${deliveries.length})` : undefined}
          description="Failed attempts are retried after 30 s, 1, 2, 4 and 8 minutes; then the delivery has failed."
          actions={
            <Button iconName="refresh" onClick={reload} loading={loading && !!data}>
              Refresh
            </Button>
          }
        >
          Deliveries
        </Header>
      }
      empty={
        error ? (
          <ErrorState error={error} onRetry={reload} />
        ) : (
          <EmptyState
            title="No deliveries yet"
            description={<Box variant="span">Set a webhook URL and send a test event to see one here.</Box>}
          />
        )
      }
    />
  );
}
