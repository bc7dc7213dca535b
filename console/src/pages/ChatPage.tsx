// The chat playground: talk to a personality as a customer would, the reply streaming in as text and speech.
import { useCallback, useEffect, useRef, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Grid from '@cloudscape-design/components/grid';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { EmptyState, ErrorState, LoadingState, errorMessage } from '../components/PageState.tsx';
import { useApi } from '../components/useApi.ts';
import { useSession } from '../session.tsx';
import { ConversationHistory } from './chat/ConversationHistory.tsx';
import { readHistory, rememberConversation, type HistoryEntry } from './chat/history.ts';
import { MessageComposer } from './chat/MessageComposer.tsx';
import { MessageList } from './chat/MessageList.tsx';
import { PersonalityPicker } from './chat/PersonalityPicker.tsx';
import type { PersonalityList } from './chat/types.ts';
import { useChat } from './chat/useChat.ts';
import './chat/chat.css';

export default function ChatPage() {
  const { tenantId } = useSession();
  const personalities = useApi<PersonalityList>('/api/personalities');
  const list = personalities.data?.personalities;
  const [selectedId, setSelectedId] = useState<string>();
  const [history, setHistory] = useState<HistoryEntry[]>(() => readHistory(tenantId));
  const [lastOpened, setLastOpened] = useState<string>();
  const chat = useChat();
  const { state } = chat;
  const endOfMessages = useRef<HTMLDivElement>(null);

  const { send, open, reset } = chat;

  // Another tenant's conversations are not this one's: switching tenants starts afresh.
  useEffect(() => {
    setHistory(readHistory(tenantId));
    setLastOpened(undefined);
    reset();
  }, [tenantId, reset]);

  // The first personality answers until someone picks another.
  useEffect(() => {
    if (!list?.length) return;
    if (!selectedId || !list.some((personality) => personality.id === selectedId)) setSelectedId(list[0]!.id);
  }, [list, selectedId]);

  // Follow the conversation as messages are added, not on every word of a reply.
  const count = state.messages.length;
  useEffect(() => {
    if (count > 0) endOfMessages.current?.scrollIntoView({ block: 'nearest' });
  }, [count]);

  const selected = list?.find((personality) => personality.id === selectedId);

  const onSend = useCallback(
    (text: string) => {
      if (!selected) return Promise.resolve(false);
      return send({
        text,
        personality: selected,
        onStarted: (start) =>
          setHistory(
            rememberConversation(tenantId, {
              id: start.conversation_id,
              title: text.trim(),
              personality: start.personality.name,
              startedAt: new Date().toISOString(),
            }),
          ),
      });
    },
    [selected, send, tenantId],
  );

  const onOpen = useCallback(
    async (id: string) => {
      setLastOpened(id);
      const conversation = await open(id, list ?? []);
      // Carry on with the personality that answered last, when it is still active.
      const lastReply = conversation?.messages.filter((message) => message.role === 'assistant').pop();
      const answering = lastReply?.personality_id ?? conversation?.personality_id;
      if (answering && list?.some((personality) => personality.id === answering)) setSelectedId(answering);
    },
    [open, list],
  );

  const conversation = chat.opening ? (
    <LoadingState label="Loading conversation" />
  ) : chat.openError && lastOpened ? (
    <ErrorState error={chat.openError} onRetry={() => void onOpen(lastOpened)} />
  ) : count === 0 ? (
    <EmptyState
      title="No messages yet"
      description="Pick a personality and send a message: the reply appears as it is written and is read out sentence by sentence."
    />
  ) : (
    <MessageList messages={state.messages} />
  );

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Talk to a personality as a customer would. Replies stream in as text and are spoken sentence by sentence."
          actions={
            <Button
              iconName="add-plus"
              onClick={() => {
                setLastOpened(undefined);
                reset();
              }}
            >
              New conversation
            </Button>
          }
        >
          Chat playground
        </Header>
      }
    >
      <Grid gridDefinition={[{ colspan: { default: 12, xs: 8 } }, { colspan: { default: 12, xs: 4 } }]}>
        <Container
          header={
            <Header
              variant="h2"
              description={
                state.conversationId ? `Conversation ${state.conversationId}` : 'A new conversation'
              }
            >
              Conversation
            </Header>
          }
          footer={
            <SpaceBetween size="s">
              {chat.sendError ? (
                <Alert
                  type="error"
                  header="The message was not sent"
                  dismissible
                  onDismiss={chat.clearSendError}
                >
                  {errorMessage(chat.sendError)}
                </Alert>
              ) : null}
              <PersonalityPicker
                personalities={list}
                loading={personalities.loading}
                error={personalities.error}
                onRetry={personalities.reload}
                selectedId={selectedId}
                onSelect={setSelectedId}
                disabled={state.sending}
              />
              <MessageComposer
                onSend={onSend}
                onStop={chat.stop}
                sending={state.sending}
                disabled={!selected || chat.opening}
              />
            </SpaceBetween>
          }
        >
          <Box>
            {conversation}
            <div ref={endOfMessages} />
          </Box>
        </Container>
        <ConversationHistory
          entries={history}
          openId={state.conversationId}
          onOpen={(id) => void onOpen(id)}
        />
      </Grid>
    </ContentLayout>
  );
}
