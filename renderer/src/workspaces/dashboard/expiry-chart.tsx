/**
 * The expiry timeline: one bar per certificate from today to its expiry, coloured by the portal's
 * thresholds, with the 30- and 90-day lines drawn across.
 *
 * Drawn on a canvas by chart.js, which the CSP allows (no inline script or style sheet is injected).
 */
import { BarElement, CategoryScale, Chart as ChartJS, LinearScale, Tooltip, type Plugin } from 'chart.js';
import { useEffect, useMemo, useState } from 'react';
import { Bar } from 'react-chartjs-2';
import type { DashboardCertificate } from '../../../../shared/procedures/procedure-schema';
import { EXPIRY_THRESHOLDS } from '../../../../shared/probe/probe-result';

ChartJS.register(BarElement, CategoryScale, LinearScale, Tooltip);

/** Where the days axis ends when a certificate lives longer. */
const AXIS_CAP_DAYS = 400;

/** The label of a certificate in the chart and the table. */
export function certificateLabel(c: DashboardCertificate): string {
  if (c.source === 'root-ca') return `${c.endpoint} · stamp information`;
  const element = c.chainIndex === 0 ? 'leaf' : c.subject === c.issuer ? 'root' : 'intermediate';
  return `${c.endpoint} · ${c.source === 'share' ? 'share file' : 'endpoint'} · ${element}`;
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

const thresholdLines: Plugin<'bar'> = {
  id: 'expiryThresholds',
  afterDatasetsDraw(chart) {
    const x = chart.scales.x;
    if (!x) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = 1;
    for (const [days, colour] of [
      [0, cssVar('--expiry-expired-bg', '#8e1b16')],
      [EXPIRY_THRESHOLDS.critical, cssVar('--expiry-critical', '#a4262c')],
      [EXPIRY_THRESHOLDS.warning, cssVar('--expiry-warning', '#7d4a00')],
    ] as const) {
      const px = x.getPixelForValue(days);
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

/** The timeline chart of the given certificates (soonest first). */
export function ExpiryChart({ certificates, theme: themeSetting }: { certificates: DashboardCertificate[]; theme: string }) {
  const scheme = useColorScheme();
  const theme = `${themeSetting}-${scheme}`;
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
          label: 'Days left',
          data: certificates.map((c) => c.daysLeft),
          backgroundColor: certificates.map((c) => colours[c.status]),
          borderWidth: 0,
          barThickness: 12,
        },
      ],
    };
    // `theme` is a dependency because it changes the CSS variables the colours are read from.
  }, [certificates, theme]);
  const longest = Math.max(0, ...certificates.map((c) => c.daysLeft));
  const shortest = Math.min(0, ...certificates.map((c) => c.daysLeft));
  const options = useMemo(() => {
    const text = cssVar('--text-2', '#5a5a64');
    // Roots live for years; capping the axis keeps the leaves that matter readable (tooltips keep the value).
    const capped = longest > AXIS_CAP_DAYS;
    const grid = cssVar('--border-subtle', '#ececf0');
    return {
      indexAxis: 'y' as const,
      responsive: true,
      maintainAspectRatio: false,
      animation: false as const,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item: { raw: unknown }) => `${String(item.raw)} days left` } },
      },
      scales: {
        x: {
          min: Math.min(-10, shortest - 5),
          max: capped ? AXIS_CAP_DAYS : Math.max(100, longest + 10),
          title: { display: true, text: `Days left (dashed lines: expired, 30 and 90 days${capped ? `; axis ends at ${AXIS_CAP_DAYS}` : ''})`, color: text },
          ticks: { color: text },
          grid: { color: grid },
        },
        y: { ticks: { color: text, autoSkip: false, font: { size: 11 } }, grid: { display: false } },
      },
    };
  }, [theme, longest, shortest]);
  const height = Math.max(120, certificates.length * 20 + 60);
  return (
    <div className="dash-chart" style={{ height }}>
      <Bar data={data} options={options} plugins={[thresholdLines]} aria-label="Expiry timeline: days left per certificate" role="img" />
    </div>
  );
}
