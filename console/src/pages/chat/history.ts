// The conversations started in this browser tab, kept in sessionStorage per tenant so the playground can reopen them.

export interface HistoryEntry {
  id: string;
  /** The customer's first message, shortened: how a person recognises the conversation. */
  title: string;
  personality: string;
  startedAt: string;
}

const KEY_PREFIX = 'console.chat.conversations.';
const MAX_ENTRIES = 50;
const TITLE_CHARACTERS = 60;

function storageKey(tenantId: string): string {
  return `${KEY_PREFIX}${tenantId}`;
}

export function readHistory(tenantId: string): HistoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(storageKey(tenantId)) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (entry): entry is HistoryEntry =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as HistoryEntry).id === 'string' &&
        typeof (entry as HistoryEntry).title === 'string',
    );
  } catch {
    // Storage blocked or a value from elsewhere: start a fresh list rather than failing the page.
    return [];
  }
}

/** Adds a conversation at the top; one already listed keeps its place and first title. */
export function rememberConversation(tenantId: string, entry: HistoryEntry): HistoryEntry[] {
  const known = readHistory(tenantId);
  if (known.some((item) => item.id === entry.id)) return known;
  const title =
    entry.title.length > TITLE_CHARACTERS
      ? `${entry.title.slice(0, TITLE_CHARACTERS - 1).trimEnd()}…`
      : entry.title;
  const next = [{ ...entry, title }, ...known].slice(0, MAX_ENTRIES);
  try {
    sessionStorage.setItem(storageKey(tenantId), JSON.stringify(next));
  } catch {
    // Full or blocked storage: the list still shows for as long as the page lives.
  }
  return next;
}
