// Times as people read them on the API keys and webhooks page.

const TIME = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** A time, or the word for its absence. */
export function formatTime(iso: string | null | undefined, absent = '-'): string {
  if (!iso) return absent;
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : TIME.format(time);
}
