// The three states every page shows besides its content: loading, error (with the API's message) and empty.
import type { ReactNode } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { ApiError } from '../api.ts';

export function LoadingState({ label }: { label: string }) {
  return (
    <div role="status">
      <Box textAlign="center" padding="l">
        <StatusIndicator type="loading">{label}</StatusIndicator>
      </Box>
    </div>
  );
}

/** The message a person can act on: the API's own `error.message`, or the thrown error's. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return String(error ?? 'Something went wrong.');
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const status = error instanceof ApiError && error.status ? ` (${error.status})` : '';
  return (
    <Alert
      type="error"
      header={`Could not load${status}`}
      action={onRetry ? <Button onClick={onRetry}>Retry</Button> : undefined}
    >
      {errorMessage(error)}
    </Alert>
  );
}

export function EmptyState({
  title,
  description,
  action,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Box textAlign="center" color="inherit" padding={{ vertical: 'l' }}>
      <SpaceBetween size="xs">
        <Box variant="strong" color="inherit">
          {title}
        </Box>
        {description ? (
          <Box variant="p" color="inherit">
            {description}
          </Box>
        ) : null}
        {action}
      </SpaceBetween>
    </Box>
  );
}
