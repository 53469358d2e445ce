/**
 * The expiry timeline: one bar per certificate from today to its expiry date on a date axis (UTC), coloured
 * by the portal's thresholds, with today and the 30- and 90-day alert dates drawn across.
 *
 * A linear axis of milliseconds with date-formatted ticks at month starts, rather than chart.js's time axis,
 * which would need a date adapter library for what one formatter does. Drawn on a canvas by chart.js, which
 * the CSP allows (no inline script or style sheet is injected).
 */
import { BarElement, CategoryScale, Chart as ChartJS, LinearScale, Tooltip, type Plugin, type Scale } from 'chart.js';
import { useEffect, useMemo, useState } from 'react';
import { Bar } from 'react-chartjs-2';
import type { DashboardCertificate } from '../../../../shared/procedures/procedure-schema';
import { EXPIRY_THRESHOLDS } from '../../../../shared/probe/probe-result';
import { formatDate } from '../../lib/format';

ChartJS.register(BarElement, CategoryScale, LinearScale, Tooltip);

const DAY_MS = 86_400_000;
/** Where the date axis ends when a certificate lives longer (roots live for years). */
const AXIS_CAP_DAYS = 400;

/** What a certificate is in its chain: the role the table sorts and groups by. */
export type CertificateRole = 'leaf' | 'intermediate' | 'root' | 'internal root CA';

/** The role of a dashboard certificate. */
export function certificateRole(c: DashboardCertificate): CertificateRole {
  if (c.source === 'root-ca') return 'internal root CA';
  if (c.chainIndex === 0) return 'leaf';
  return c.subject === c.issuer ? 'root' : 'intermediate';
}

/** Where a certificate was seen, in words. */
export function sourceLabel(c: DashboardCertificate): string {
  return c.source === 'share' ? 'share file' : c.source === 'endpoint' ? 'endpoint' : 'stamp information';
}

/** The label of a certificate in the chart and the table. */
export function certificateLabel(c: DashboardCertificate): string {
  if (c.source === 'root-ca') return `${c.endpoint} · stamp information`;
  return `${c.endpoint} · ${sourceLabel(c)} · ${certificateRole(c)}`;
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** The first day of every `step`-th month from `min` to `max` (UTC), as tick positions. */
export function monthTicks(min: number, max: number, step: number): number[] {
  const start = new Date(min);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth() + 1;
  const ticks: number[] = [];
  for (;;) {
    if (month > 11) {
      year += Math.floor(month / 12);
      month %= 12;
    }
    const t = Date.UTC(year, month, 1);
    if (t > max) break;
    ticks.push(t);
    month += step;
  }
  return ticks;
}

function thresholdLines(reference: number): Plugin<'bar'> {
  return {
    id: 'expiryThresholds',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      if (!x) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.setLineDash([4, 4]);
      ctx.lineWidth = 1;
      for (const [days, colour] of [
        [0, cssVar('--text-2', '#5a5a64')],
        [EXPIRY_THRESHOLDS.critical, cssVar('--expiry-critical', '#a4262c')],
        [EXPIRY_THRESHOLDS.warning, cssVar('--expiry-warning', '#7d4a00')],
      ] as const) {
        const px = x.getPixelForValue(reference + days * DAY_MS);
        if (px < chartArea.left || px > chartArea.right) continue;
        ctx.strokeStyle = colour;
        ctx.beginPath();
        ctx.moveTo(px, chartArea.top);
        ctx.lineTo(px, chartArea.bottom);
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}

/** The OS colour scheme, followed live: with the "system" theme it decides the CSS variables. */
function useColorScheme(): 'light' | 'dark' {
  const query = '(prefers-color-scheme: dark)';
  const [scheme, setScheme] = useState<'light' | 'dark'>(() => (window.matchMedia?.(query).matches ? 'dark' : 'light'));
  useEffect(() => {
    const media = window.matchMedia?.(query);
    if (!media) return;
    const onChange = () => setScheme(media.matches ? 'dark' : 'light');
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  return scheme;
}

/** The timeline chart of the given certificates, in the order given, counted from `reference` (ms). */
export function ExpiryChart({ certificates, theme: themeSetting, reference }: { certificates: DashboardCertificate[]; theme: string; reference: number }) {
  const scheme = useColorScheme();
  const theme = `${themeSetting}-${scheme}`;
  const times = certificates.map((c) => Date.parse(c.notAfter));
  const latest = Math.max(reference, ...times);
  const earliest = Math.min(reference, ...times);
  const capped = latest > reference + AXIS_CAP_DAYS * DAY_MS;
  const min = earliest - 15 * DAY_MS;
  const max = capped ? reference + AXIS_CAP_DAYS * DAY_MS : Math.max(reference + 100 * DAY_MS, latest + 15 * DAY_MS);
  const data = useMemo(() => {
    const colours = {
      ok: cssVar('--expiry-ok', '#0e6e0e'),
      warning: cssVar('--expiry-warning', '#7d4a00'),
      critical: cssVar('--expiry-critical', '#a4262c'),
      expired: cssVar('--expiry-expired-bg', '#8e1b16'),
    };
    return {
      labels: certificates.map((c) => `${certificateLabel(c)} (${c.location})`),
      datasets: [
        {
          label: 'Valid until',
          // Floating bars from the reference day to the expiry (backwards for an expired certificate).
          data: certificates.map((c) => [reference, Math.min(Date.parse(c.notAfter), max)] as [number, number]),
          backgroundColor: certificates.map((c) => colours[c.status]),
          borderWidth: 0,
          barThickness: 12,
        },
      ],
    };
    // `theme` is a dependency because it changes the CSS variables the colours are read from.
  }, [certificates, theme, reference, max]);
  const ticks = useMemo(() => monthTicks(min, max, max - min > 300 * DAY_MS ? 2 : 1), [min, max]);
  const options = useMemo(() => {
    const text = cssVar('--text-2', '#5a5a64');
    const grid = cssVar('--border-subtle', '#ececf0');
    return {
      indexAxis: 'y' as const,
      responsive: true,
      maintainAspectRatio: false,
      animation: false as const,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item: { dataIndex: number }) => {
              const c = certificates[item.dataIndex];
              if (!c) return '';
              return `expires ${formatDate(c.notAfter)} UTC (${c.daysLeft < 0 ? `expired ${-c.daysLeft} days ago` : `${c.daysLeft} days left`})`;
            },
          },
        },
      },
      scales: {
        x: {
          type: 'linear' as const,
          min,
          max,
          afterBuildTicks: (scale: Scale) => {
            scale.ticks = ticks.map((value) => ({ value }));
          },
          title: {
            display: true,
            text: `Expiry date, UTC (dashed lines: today, the 30- and the 90-day alerts${capped ? `; axis ends ${AXIS_CAP_DAYS} days out` : ''})`,
            color: text,
          },
          ticks: { color: text, callback: (value: string | number) => formatDate(new Date(Number(value)).toISOString()) },
          grid: { color: grid },
        },
        y: { ticks: { color: text, autoSkip: false, font: { size: 11 } }, grid: { display: false } },
      },
    };
  }, [theme, min, max, capped, certificates, ticks]);
  const plugins = useMemo(() => [thresholdLines(reference)], [reference]);
  const height = Math.max(120, certificates.length * 20 + 60);
  const axis = ticks.length > 0 ? ` from ${formatDate(new Date(ticks[0]!).toISOString())} to ${formatDate(new Date(ticks[ticks.length - 1]!).toISOString())} (UTC)` : '';
  return (
    <div className="dash-chart" style={{ height }}>
      <Bar data={data} options={options} plugins={plugins} aria-label={`Expiry timeline: the expiry date of each certificate on a date axis${axis}`} role="img" />
    </div>
  );
}
