// POST /api/chat/stream: a Lambda function URL with response streaming in AWS (see docs/streaming.md).
import { routes } from '../../http/routes.ts';
import { streamingHandler } from '../../http/streaming.ts';
import { beginTurn, type TurnStart } from '../chat.ts';
import { chatStream } from '../chat-stream.ts';

export const handler = streamingHandler<typeof routes.chatStream, TurnStart>(
  routes.chatStream,
  async ({ auth, requestId }, events, turn) => chatStream(auth, turn, events, requestId),
  { prepare: ({ auth, body }) => beginTurn(auth, body) },
);
