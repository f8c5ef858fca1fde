/** How messages say dates and amounts to people: the French way, in Paris time. */

const TIME_ZONE = 'Europe/Paris';

/** "3 décembre 2026" from an ISO day or an instant. */
export function frenchDay(value: string | Date): string {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: TIME_ZONE }).format(date);
}

/** "3 décembre 2026 à 18 h 00 (heure de Paris)" from an instant. */
export function frenchMoment(value: string | Date): string {
  const date = new Date(value);
  const parts = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE })
    .formatToParts(date)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return `${frenchDay(date)} à ${parts.hour} h ${parts.minute} (heure de Paris)`;
}

/** "December 3, 2026, 6:00 PM (Paris time)" for the English part. */
export function englishMoment(value: string | Date): string {
  const date = new Date(value);
  const text = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE }).format(date);
  return `${text} (Paris time)`;
}

export function englishDay(value: string | Date): string {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: TIME_ZONE }).format(date);
}

/** "12 345,67 €" (narrow no-break space between thousands, as French typography wants) from cents. */
export function frenchEuros(cents: string | number | bigint): string {
  const value = BigInt(cents);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const euros = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${negative ? '−' : ''}${euros},${(abs % 100n).toString().padStart(2, '0')}\u00a0€`;
}
