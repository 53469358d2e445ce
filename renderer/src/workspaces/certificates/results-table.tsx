/**
 * The results grid: one row per certificate, one column per check in contract order.
 *
 * Rows are chosen with the endpoint button or the arrow keys; the chosen row drives the detail panel.
 */
import { memo, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { CHECK_TITLES } from '../../../../shared/certificates/report';
import type { CertificateReport } from '../../../../shared/certificates/report';
import { SortIcon } from '../../components/icons';
import { StatusBadge, StatusIcon } from '../../components/status-icon';
import { daysUntil, expiryTone, formatDate, formatDateTime, STATUS_DISPLAY } from '../../lib/format';
import { useReferenceTime } from '../../stores/review-store';
import { CHECK_COLUMNS, CHECK_SHORT_LABELS, certificateKey, checksById } from '../../lib/report-view';
import type { ReportViewOptions, SortKey } from '../../lib/report-view';

const Row = memo(function Row({
  cert,
  selected,
  tabbable,
  onSelect,
}: {
  cert: CertificateReport;
  selected: boolean;
  tabbable: boolean;
  onSelect: (key: string) => void;
}) {
  const key = certificateKey(cert);
  const checks = checksById(cert);
  const now = useReferenceTime();
  const days = cert.leaf ? daysUntil(cert.leaf.notAfter, now) : null;
  return (
    <tr className={selected ? 'row-selected' : undefined} aria-current={selected ? 'true' : undefined} data-key={key} onClick={() => onSelect(key)}>
      <th scope="row" className="col-endpoint">
        <button type="button" className="row-button" title={cert.file} tabIndex={tabbable ? 0 : -1} onClick={() => onSelect(key)}>
          {cert.endpoint}
        </button>
      </th>
      <td className="col-status">
        <StatusBadge status={cert.status} />
      </td>
      <td className="col-expiry" title={cert.leaf ? formatDateTime(cert.leaf.notAfter) : undefined}>
        {cert.leaf && days !== null ? (
          <>
            <span className="mono">{formatDate(cert.leaf.notAfter)}</span> <span className={`days-left days-${expiryTone(days)}`}>{days < 0 ? 'expired' : `${days} d`}</span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      {CHECK_COLUMNS.map((id) => {
        const check = checks[id];
        if (!check) return <td key={id} className="col-check" />;
        const words = `${CHECK_TITLES[id]}: ${STATUS_DISPLAY[check.status].label}`;
        return (
          <td key={id} className="col-check">
            <StatusIcon status={check.status} label={words} title={`${words}. ${check.message}`} />
          </td>
        );
      })}
    </tr>
  );
});

function SortHeader({ label, sortKey, view, onSort, className }: { label: string; sortKey: SortKey; view: ReportViewOptions; onSort: (k: SortKey) => void; className: string }) {
  const active = view.sortKey === sortKey;
  return (
    <th scope="col" className={className} aria-sort={active ? (view.sortDir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => onSort(sortKey)}>
        {label}
        <SortIcon dir={active ? view.sortDir : null} />
      </button>
    </th>
  );
}

/** The certificate × check table. */
export function ResultsTable({
  rows,
  view,
  selectedKey,
  onSelect,
  onSort,
}: {
  rows: CertificateReport[];
  view: ReportViewOptions;
  selectedKey: string | null;
  onSelect: (key: string) => void;
  onSort: (key: SortKey) => void;
}) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  // Keep one row button tabbable even when the selection is filtered out.
  const tabbableKey = rows.some((r) => certificateKey(r) === selectedKey) ? selectedKey : rows[0] ? certificateKey(rows[0]) : null;

  function onKeyDown(e: KeyboardEvent<HTMLTableSectionElement>) {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    const index = rows.findIndex((r) => certificateKey(r) === selectedKey);
    let next: number;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, index + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (e.key === 'Home') next = 0;
    else next = rows.length - 1;
    const target = rows[next];
    if (!target) return;
    e.preventDefault();
    const key = certificateKey(target);
    onSelect(key);
    requestAnimationFrame(() => {
      const row = Array.from(bodyRef.current?.rows ?? []).find((r) => r.dataset.key === key);
      row?.querySelector<HTMLButtonElement>('.row-button')?.focus();
    });
  }

  return (
    <div className="table-scroll results-scroll">
      <table className="table results-table">
        <caption className="sr-only">Certificates and their checks. Use the arrow keys to move between certificates.</caption>
        <thead>
          <tr>
            <SortHeader label="Endpoint" sortKey="endpoint" view={view} onSort={onSort} className="col-endpoint" />
            <SortHeader label="Status" sortKey="status" view={view} onSort={onSort} className="col-status" />
            <SortHeader label="Expires (UTC)" sortKey="expiry" view={view} onSort={onSort} className="col-expiry" />
            {CHECK_COLUMNS.map((id) => (
              <th key={id} scope="col" className="col-check col-check-head" title={CHECK_TITLES[id]}>
                <span className="vertical" aria-hidden="true">
                  {CHECK_SHORT_LABELS[id]}
                </span>
                <span className="sr-only">{CHECK_TITLES[id]}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={bodyRef} onKeyDown={onKeyDown}>
          {rows.map((cert) => {
            const key = certificateKey(cert);
            return <Row key={key} cert={cert} selected={key === selectedKey} tabbable={key === tabbableKey} onSelect={onSelect} />;
          })}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="empty-inline">No certificate matches the filter.</p> : null}
    </div>
  );
}
