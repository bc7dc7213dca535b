// Results of actions (saved, deleted, failed) shown in the AppLayout's Flashbar, each dismissible.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { FlashbarProps } from '@cloudscape-design/components/flashbar';

export interface Notification {
  type: 'success' | 'error' | 'info';
  content: string;
}

type Notify = (item: Notification) => void;

const NotifyContext = createContext<Notify | undefined>(undefined);
const FlashContext = createContext<FlashbarProps.MessageDefinition[]>([]);

/** Successes and notes fade; errors stay until dismissed, so they are read. */
const FADE_MS = 8_000;
const MAX_SHOWN = 5;

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<FlashbarProps.MessageDefinition[]>([]);
  const counter = useRef(0);

  const dismiss = useCallback(
    (id: string) => setItems((shown) => shown.filter((item) => item.id !== id)),
    [],
  );

  const notify = useCallback<Notify>(
    ({ type, content }) => {
      counter.current += 1;
      const id = `notification-${counter.current}`;
      setItems((shown) =>
        [
          {
            id,
            type,
            content,
            dismissible: true,
            dismissLabel: 'Dismiss message',
            onDismiss: () => dismiss(id),
          },
          ...shown,
        ].slice(0, MAX_SHOWN),
      );
      if (type !== 'error') setTimeout(() => dismiss(id), FADE_MS);
    },
    [dismiss],
  );

  const stable = useMemo(() => notify, [notify]);
  return (
    <NotifyContext.Provider value={stable}>
      <FlashContext.Provider value={items}>{children}</FlashContext.Provider>
    </NotifyContext.Provider>
  );
}

export function useNotify(): Notify {
  const notify = useContext(NotifyContext);
  if (!notify) throw new Error('useNotify is used outside <NotificationsProvider>');
  return notify;
}

/** The messages for the layout's Flashbar. */
export function useNotifications(): FlashbarProps.MessageDefinition[] {
  return useContext(FlashContext);
}
