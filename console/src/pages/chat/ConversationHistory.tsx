// The conversations started in this browser session; choosing one opens it with its messages and audio.
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { EmptyState } from '../../components/PageState.tsx';
import type { HistoryEntry } from './history.ts';

interface Props {
  entries: HistoryEntry[];
  openId: string | undefined;
  onOpen(id: string): void;
}

const time = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
};

export function ConversationHistory({ entries, openId, onOpen }: Props) {
  return (
    <Container
      header={
        <Header variant="h2" counter={`(${entries.length})`} description="Started in this browser tab.">
          History
        </Header>
      }
    >
      {entries.length === 0 ? (
        <EmptyState title="No conversations yet" description="Conversations you start here are listed." />
      ) : (
        <ul className="chat-messages" aria-label="Conversations">
          {entries.map((entry) => (
            <li key={entry.id}>
              <SpaceBetween size="xxxs">
                <Link
                  href={`#${entry.id}`}
                  ariaLabel={`Open conversation: ${entry.title}`}
                  onFollow={(event) => {
                    event.preventDefault();
                    onOpen(entry.id);
                  }}
                >
                  {entry.title}
                </Link>
                <Box variant="small" color="text-body-secondary">
                  {[entry.personality, time(entry.startedAt), entry.id === openId ? 'open' : '']
                    .filter(Boolean)
                    .join(' · ')}
                </Box>
              </SpaceBetween>
            </li>
          ))}
        </ul>
      )}
    </Container>
  );
}
