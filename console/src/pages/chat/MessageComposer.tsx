// The message box: Enter sends, Shift+Enter starts a new line; a reply being written can be stopped.
import { useState } from 'react';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import PromptInput from '@cloudscape-design/components/prompt-input';
import SpaceBetween from '@cloudscape-design/components/space-between';

/** The API's limit (functions/chat/schemas.ts MAX_MESSAGE_CHARACTERS). */
const MAX_MESSAGE_CHARACTERS = 4000;

interface Props {
  /** Sends the text; resolves false when it was refused and the text should stay in the box. */
  onSend(text: string): Promise<boolean>;
  onStop(): void;
  sending: boolean;
  disabled: boolean;
}

export function MessageComposer({ onSend, onStop, sending, disabled }: Props) {
  const [text, setText] = useState('');
  const tooLong = text.length > MAX_MESSAGE_CHARACTERS;
  const canSend = !disabled && !sending && !tooLong && text.trim().length > 0;

  const send = async () => {
    if (!canSend) return;
    const sent = text;
    setText('');
    const accepted = await onSend(sent);
    if (!accepted) setText((current) => current || sent);
  };

  return (
    <SpaceBetween size="xs">
      <FormField
        label="Message"
        description="Enter sends; Shift+Enter starts a new line."
        constraintText={`${text.length} of ${MAX_MESSAGE_CHARACTERS} characters`}
        errorText={tooLong ? `A message has at most ${MAX_MESSAGE_CHARACTERS} characters.` : undefined}
        stretch
      >
        <PromptInput
          value={text}
          onChange={({ detail }) => setText(detail.value)}
          onAction={() => void send()}
          placeholder="Ask the personality something"
          actionButtonIconName="send"
          i18nStrings={{ actionButtonAriaLabel: 'Send message' }}
          disableActionButton={!canSend}
          disabled={disabled}
          minRows={2}
          maxRows={6}
        />
      </FormField>
      {sending ? (
        <Button iconName="close" onClick={onStop}>
          Stop reply
        </Button>
      ) : null}
    </SpaceBetween>
  );
}
