import type { EntityManager } from '@mikro-orm/postgresql';
import { AgendaItem, type Meeting } from './meeting.entity.js';

/**
 * A meeting's agenda keeps positions 1..n without gaps. The (meeting, position) key is checked
 * row by row, so a reorder moves the changed items out of the way first (n + 1000…), then to their
 * places: two flushes, each one statement, whatever the number of items.
 */
export async function agendaOf(tx: EntityManager, meeting: Meeting): Promise<AgendaItem[]> {
  return tx.find(AgendaItem, { meeting }, { orderBy: { position: 'asc' } });
}

/** Gives `ordered` the positions 1..n, moving only the items whose position changes. */
export async function renumber(tx: EntityManager, ordered: AgendaItem[]): Promise<void> {
  const moving = ordered.map((item, i) => ({ item, position: i + 1 })).filter(({ item, position }) => item.position !== position);
  if (!moving.length) return;
  const parked = ordered.length + 1000;
  moving.forEach(({ item }, i) => {
    item.position = parked + i;
  });
  await tx.flush();
  for (const { item, position } of moving) item.position = position;
  await tx.flush();
}

/** `items` with `item` placed at `position` (1-based; past the end: last). */
export function placed(items: AgendaItem[], item: AgendaItem, position: number | undefined): AgendaItem[] {
  const others = items.filter((other) => other !== item);
  const at = Math.min(Math.max((position ?? others.length + 1) - 1, 0), others.length);
  return [...others.slice(0, at), item, ...others.slice(at)];
}

/**
 * Copies a meeting's agenda verbatim (titles, descriptions, binding, positions) to another, in
 * ONE statement. Returns how many items were copied.
 */
export async function copyAgenda(tx: EntityManager, fromMeetingId: string, toMeetingId: string, now: Date): Promise<number> {
  const rows = await tx.execute<{ copied: number }[]>(
    `with copied as (
       insert into agenda_item (id, created_at, updated_at, meeting_id, position, title, description, binding)
       select gen_random_uuid(), ?, ?, ?, position, title, description, binding from agenda_item where meeting_id = ?
       returning 1)
     select count(*)::int as copied from copied`,
    [now, now, toMeetingId, fromMeetingId],
  );
  return rows[0]?.copied ?? 0;
}
