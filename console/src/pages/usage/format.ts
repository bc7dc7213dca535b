// Figures as people read them, and the days a date range picker's value stands for.
import type { DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';
import type { DayRange } from './types.ts';

const LOCALE = 'en-US';
const DAY_MS = 24 * 60 * 60 * 1000;
/** The API reports at most this many days at once. */
export const MAX_RANGE_DAYS = 366;

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

export const formatCount = (value: number) => integer.format(value);

const DOLLARS = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD' });
const CENTS = new Intl.NumberFormat(LOCALE, {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const FRACTIONS_OF_A_CENT = new Intl.NumberFormat(LOCALE, {
  style: 'currency',
  currency: 'USD',
  maximumSignificantDigits: 3,
});

/** Dollars; a sentence costs fractions of a cent, so small sums keep their significant digits. */
export function formatUsd(value: number): string {
  const size = Math.abs(value);
  if (size === 0 || size >= 1) return DOLLARS.format(value);
  return (size >= 0.01 ? CENTS : FRACTIONS_OF_A_CENT).format(value);
}

export function formatPercent(share: number): string {
  return new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

export function formatMinutes(seconds: number): string {
  const minutes = seconds / 60;
  const digits = minutes > 0 && minutes < 10 ? 2 : 1;
  return `${new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits }).format(minutes)} min`;
}

/** `2025-03-07` as `Mar 7`, read as a UTC day like the API counts it. */
export function formatDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(LOCALE, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

export function today(now = new Date()): string {
  return isoDay(now.getTime());
}

/** The first day of this month to today: the report's own default. */
export function thisMonth(now = new Date()): DateRangePickerProps.AbsoluteValue {
  const to = today(now);
  return { type: 'absolute', startDate: `${to.slice(0, 7)}-01`, endDate: to };
}

export const RELATIVE_OPTIONS: DateRangePickerProps.RelativeOption[] = [
  { key: 'last-7-days', amount: 7, unit: 'day', type: 'relative' },
  { key: 'last-30-days', amount: 30, unit: 'day', type: 'relative' },
  { key: 'last-3-months', amount: 3, unit: 'month', type: 'relative' },
  { key: 'last-12-months', amount: 12, unit: 'month', type: 'relative' },
];

const UNIT_DAYS: Record<DateRangePickerProps.TimeUnit, number> = {
  second: 1 / 86_400,
  minute: 1 / 1_440,
  hour: 1 / 24,
  day: 1,
  week: 7,
  month: 30,
  year: 365,
};

/** The whole days a picker value covers, ending today for a relative one; usage is counted per UTC day. */
export function dayRange(value: DateRangePickerProps.Value, now = new Date()): DayRange {
  if (value.type === 'absolute')
    return { from: value.startDate.slice(0, 10), to: value.endDate.slice(0, 10) };
  const to = today(now);
  const days = Math.max(1, Math.ceil(value.amount * UNIT_DAYS[value.unit]));
  return { from: isoDay(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS), to };
}

export function rangeDays({ from, to }: DayRange): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/** Why the picker may not apply a value, in the words the API would use. */
export function checkRange(value: DateRangePickerProps.Value | null): DateRangePickerProps.ValidationResult {
  if (!value) return { valid: false, errorMessage: 'Choose a range of days.' };
  if (value.type === 'absolute') {
    if (!value.startDate || !value.endDate)
      return { valid: false, errorMessage: 'Choose a first and a last day.' };
    if (value.endDate < value.startDate)
      return { valid: false, errorMessage: 'The last day is before the first.' };
  }
  if (rangeDays(dayRange(value)) > MAX_RANGE_DAYS) {
    return { valid: false, errorMessage: `A report covers at most ${MAX_RANGE_DAYS} days.` };
  }
  return { valid: true };
}

/** Every day of the range, so the chart shows quiet days as zero rather than skipping them. */
export function daysOf({ from, to }: DayRange): string[] {
  const days: string[] = [];
  for (let day = dayNumber(from); day <= dayNumber(to) && days.length < MAX_RANGE_DAYS; day += 1) {
    days.push(isoDay(day * DAY_MS));
  }
  return days;
}
