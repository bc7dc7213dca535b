// A confirmation before an action that cannot be undone, with the API's error shown in the modal if it fails.
import { useState, type ReactNode } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { errorMessage } from '../../components/PageState.tsx';

export function ConfirmModal({
  header,
  confirmText,
  children,
  onConfirm,
  onClose,
}: {
  header: string;
  confirmText: string;
  children: ReactNode;
  /** Resolves when done; a rejection keeps the modal open with the error. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Modal
      visible
      header={header}
      onDismiss={() => (busy ? undefined : onClose())}
      closeAriaLabel="Close"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button variant="primary" onClick={() => void confirm()} loading={busy}>
              {confirmText}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        {children}
        {error ? <Alert type="error">{errorMessage(error)}</Alert> : null}
      </SpaceBetween>
    </Modal>
  );
}
