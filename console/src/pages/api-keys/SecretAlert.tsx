// A secret the API shows only once, with a copy button and the warning that it will not be shown again.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import SpaceBetween from '@cloudscape-design/components/space-between';

export function SecretAlert({
  header,
  what,
  secret,
  onDismiss,
}: {
  header: string;
  /** What the secret is, e.g. "API key" or "signing secret". */
  what: string;
  secret: string;
  onDismiss: () => void;
}) {
  return (
    <Alert
      type="success"
      header={header}
      dismissible
      dismissAriaLabel={`Dismiss the ${what}`}
      onDismiss={onDismiss}
    >
      <SpaceBetween size="xs">
        <Box variant="p">
          <strong>Copy the {what} now: it will not be shown again.</strong> Store it where your app keeps its
          secrets.
        </Box>
        <Box variant="code">
          <CopyToClipboard
            variant="inline"
            textToCopy={secret}
            textToDisplay={secret}
            wrapText
            copyButtonAriaLabel={`Copy the ${what}`}
            copySuccessText={`The ${what} is copied`}
            copyErrorText={`The ${what} could not be copied; select it and copy it by hand`}
          />
        </Box>
      </SpaceBetween>
    </Alert>
  );
}
