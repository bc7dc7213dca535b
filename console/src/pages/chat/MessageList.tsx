// The conversation's messages in order, each with who said it; replies carry their sentences' audio.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { SentencePlayer } from './SentencePlayer.tsx';
import type { ShownMessage } from './types.ts';

function ReplyStatus({ message }: { message: ShownMessage }) {
  if (message.status === 'streaming') {
    return <StatusIndicator type="loading">{message.text ? 'Speaking…' : 'Writing…'}</StatusIndicator>;
  }
  if (message.status === 'failed') return <StatusIndicator type="error">Reply failed</StatusIndicator>;
  if (message.sentenceCount === undefined) return null;
  const spoken = message.sentences.filter((sentence) => 'url' in sentence).length;
  const count = message.sentenceCount;
  return (
    <SpaceBetween size="xs" direction="horizontal" alignItems="center">
      <StatusIndicator type={spoken === count ? 'success' : 'warning'}>Reply complete</StatusIndicator>
      <Box variant="small" color="text-body-secondary">
        {`${spoken} of ${count} ${count === 1 ? 'sentence' : 'sentences'} spoken`}
      </Box>
    </SpaceBetween>
  );
}

function Message({ message }: { message: ShownMessage }) {
  const mine = message.role === 'user';
  return (
    <li
      className={mine ? 'chat-from-customer' : 'chat-from-personality'}
      aria-label={mine ? 'Your message' : `Reply from ${message.speaker ?? 'the personality'}`}
    >
      <Box padding={{ vertical: 'xs' }} color="inherit">
        <SpaceBetween size="xs">
          <Box variant="h4" tagOverride="h3" color={mine ? 'text-body-secondary' : 'inherit'}>
            {mine ? 'You' : (message.speaker ?? 'Personality')}
          </Box>
          {message.text ? (
            <div className="chat-message-text">{message.text}</div>
          ) : message.status === 'streaming' ? null : (
            <Box color="text-body-secondary">(no text)</Box>
          )}
          {mine ? null : <ReplyStatus message={message} />}
          {message.failure ? (
            <Alert type="error" header="The personality could not answer">
              {message.failure.message}
            </Alert>
          ) : null}
          {mine ? null : (
            <SentencePlayer
              sentences={message.sentences}
              autoplay={message.live}
              streaming={message.status === 'streaming'}
            />
          )}
        </SpaceBetween>
      </Box>
    </li>
  );
}

export function MessageList({ messages }: { messages: ShownMessage[] }) {
  return (
    <ol className="chat-messages" aria-label="Messages">
      {messages.map((message) => (
        <Message key={message.key} message={message} />
      ))}
    </ol>
  );
}
