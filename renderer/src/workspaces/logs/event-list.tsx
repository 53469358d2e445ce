/**
 * The virtualized event list: only the rows in view (plus a few) are in the DOM, and the next page is
 * fetched as the operator nears the end of what is loaded.
 *
 * Rows have one fixed height so the virtualizer never measures; the full text of the focused event is
 * shown below the list instead of growing a row.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { formatRunRef, type LogEvent } from '../../../../shared/logs/events';
import { useLogsStore } from '../../stores/logs-store';
import { Highlighted, termMatcher } from './highlight';

/** Height of one row in pixels (matches `.log-row` in logs.css). */
export const ROW_HEIGHT = 28;

/** Rows before the end of the loaded ones at which the next page is requested. */
const PREFETCH_ROWS = 60;

function time(at: string): string {
  // ISO without the "T" and zone reads well and sorts; the detail pane shows the full value.
  return at.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

function Row({ event, index, selected, matcher, start }: { event: LogEvent; index: number; selected: boolean; matcher: RegExp | null; start: number }) {
  const select = useLogsStore((s) => s.select);
  const jumpToRun = useLogsStore((s) => s.jumpToRun);
  const onClick = (e: MouseEvent) => select(index, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'single');
  return (
    <div
      role="row"
      aria-selected={selected}
      aria-rowindex={index + 1}
      className={`log-row log-${event.level}${selected ? ' log-row-selected' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={onClick}
      data-event-id={event.id}
    >
      <span role="gridcell" className="log-time mono">
        {time(event.at)}
      </span>
      <span role="gridcell" className="log-level">
        <span className={`log-level-chip log-level-${event.level}`}>{event.level}</span>
      </span>
      <span role="gridcell" className="log-source">
        {event.source}
      </span>
      <span role="gridcell" className="log-stamp" title={event.stamp ?? undefined}>
        {event.stamp ?? ''}
      </span>
      <span role="gridcell" className="log-run">
        {event.run ? (
          <button
            type="button"
            className="log-run-link"
            title={`Show the whole transcript of ${formatRunRef(event.run)}`}
            onClick={(e) => {
              e.stopPropagation();
              void jumpToRun(event.run as NonNullable<LogEvent['run']>);
            }}
          >
            {formatRunRef(event.run)}
          </button>
        ) : null}
      </span>
      <span role="gridcell" className="log-text" title={event.text.length > 120 ? event.text.slice(0, 2000) : undefined}>
        <Highlighted text={event.text} matcher={matcher} />
      </span>
    </div>
  );
}

/** The list of loaded events, newest first. */
export function EventList() {
  const rows = useLogsStore((s) => s.rows);
  const nextCursor = useLogsStore((s) => s.nextCursor);
  const selected = useLogsStore((s) => s.selected);
  const applied = useLogsStore((s) => s.applied);
  const query = applied.query;
  const loadMore = useLogsStore((s) => s.loadMore);
  const select = useLogsStore((s) => s.select);
  const selectAllLoaded = useLogsStore((s) => s.selectAllLoaded);
  const copySelection = useLogsStore((s) => s.copySelection);
  const anchor = useLogsStore((s) => s.anchor);
  const matcher = useMemo(() => termMatcher(query), [query]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? (items[items.length - 1]?.index ?? 0) : 0;

  useEffect(() => {
    if (nextCursor !== null && rows.length > 0 && lastIndex >= rows.length - PREFETCH_ROWS) void loadMore();
  }, [lastIndex, rows.length, nextCursor, loadMore]);

  useEffect(() => {
    // New filters start at the top (a jump to a run from far down the list included).
    scroller.current?.scrollTo({ top: 0 });
  }, [applied]);

  const short = rows.length < 12 && nextCursor === null;

  const onKeyDown = (e: KeyboardEvent) => {
    const current = anchor === null ? -1 : rows.findIndex((r) => r.id === anchor);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = Math.max(0, Math.min(rows.length - 1, current + (e.key === 'ArrowDown' ? 1 : -1)));
      select(next, e.shiftKey ? 'range' : 'single');
      virtualizer.scrollToIndex(next);
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      selectAllLoaded();
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      e.preventDefault();
      void copySelection();
    }
  };

  return (
    <div
      ref={scroller}
      className="log-list"
      // A short result does not need a tall empty box.
      style={short ? { height: Math.max(3, rows.length) * ROW_HEIGHT + 2 } : undefined}
      role="grid"
      aria-label="Events"
      aria-rowcount={rows.length + (nextCursor !== null ? 1 : 0)}
      aria-multiselectable="true"
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="log-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const event = rows[item.index];
          return event ? <Row key={event.id} event={event} index={item.index} start={item.start} selected={selected.has(event.id)} matcher={matcher} /> : null;
        })}
      </div>
    </div>
  );
}
