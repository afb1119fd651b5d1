import { h, s as svg } from './dom';
import type { Labels } from './labels';
import { businessHour, dayAndMonth, formatTime } from './time';

export type PlatformCount = { platform: string; orders: number };
export type OrderVolume = {
  from: string;
  to: string;
  total: number;
  byPlatform: PlatformCount[];
  buckets: { start: string; orders: number; byPlatform: PlatformCount[] }[];
};

const HOUR_MS = 3_600_000;
/**
 * Okabe–Ito colours, told apart with any colour vision, handed out in
 * referenceData's platform order: no platform code is written here.
 */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#56b4e9', '#e69f00', '#7f7f7f'];
/** Room an hour label needs on the axis, in pixels. */
const LABEL_PX = 40;

/** The smallest of 1, 2, 5, 10, 20, 50... that is at least `raw`. */
function niceStep(raw: number): number {
  if (raw <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? 10 * power;
}

/** Marketplaces in referenceData's order, then anything else the answer names. */
function platformsOf(labels: Labels, volume: OrderVolume): string[] {
  return [
    ...new Set([...labels.marketplaceCodes(), ...volume.byPlatform.map((row) => row.platform)]),
  ];
}

const hourRange = (start: string): string => {
  const end = new Date(Date.parse(start) + HOUR_MS).toISOString();
  return `${formatTime(start).slice(0, 16)}–${formatTime(end).slice(11, 16)}`;
};

/**
 * Stacked bars, one per hour, one colour per platform, drawn at the width it
 * is given (a viewBox scaled to a phone would shrink the text with it).
 */
export function drawOrderVolume(labels: Labels, volume: OrderVolume, width: number): HTMLElement {
  const platforms = platformsOf(labels, volume);
  const colour = (platform: string) =>
    PALETTE[Math.max(0, platforms.indexOf(platform)) % PALETTE.length] ?? PALETTE[0]!;
  const height = width < 520 ? 170 : 220;
  const margin = { top: 10, right: 6, bottom: 22, left: 30 };
  const plotWidth = Math.max(1, width - margin.left - margin.right);
  const plotHeight = height - margin.top - margin.bottom;
  const band = plotWidth / Math.max(1, volume.buckets.length);
  const barWidth = Math.max(2, band * 0.72);

  const highest = Math.max(0, ...volume.buckets.map((bucket) => bucket.orders));
  const step = niceStep(highest / 4);
  const top = Math.max(step, Math.ceil(highest / step) * step);
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;

  const chart = svg('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${labels.text('orderVolume')}: ${volume.total} ${labels.text('orders')}`,
    'data-hours': volume.buckets.length,
  });
  for (let value = 0; value <= top; value += step) {
    chart.append(
      svg('line', {
        class: value === 0 ? 'axis' : 'gridline',
        x1: margin.left,
        x2: width - margin.right,
        y1: y(value),
        y2: y(value),
      }),
      svg(
        'text',
        { class: 'tick', x: margin.left - 6, y: y(value) + 4, 'text-anchor': 'end' },
        String(value),
      ),
    );
  }

  // Every k-th hour is labelled, k chosen so labels never touch; midnight shows the date.
  const every = [1, 2, 3, 4, 6, 12].find((k) => k * band >= LABEL_PX) ?? 24;
  volume.buckets.forEach((bucket, index) => {
    const x = margin.left + index * band;
    const hour = businessHour(bucket.start);
    if (hour % every === 0) {
      // A label at the right end is kept inside the chart rather than centred past its edge.
      const centre = x + band / 2;
      const atEnd = centre + LABEL_PX / 2 > width;
      chart.append(
        svg(
          'text',
          {
            class: 'tick',
            x: atEnd ? width - 1 : centre,
            y: height - 6,
            'text-anchor': atEnd ? 'end' : 'middle',
          },
          hour === 0 ? dayAndMonth(bucket.start) : `${String(hour).padStart(2, '0')}:00`,
        ),
      );
    }
    const group = svg('g', { class: 'hour', 'data-start': bucket.start });
    let stacked = 0;
    for (const platform of platforms) {
      const orders = bucket.byPlatform.find((row) => row.platform === platform)?.orders ?? 0;
      if (!orders) continue;
      const upper = y(stacked + orders);
      group.append(
        svg(
          'rect',
          {
            class: 'bar',
            x: x + (band - barWidth) / 2,
            y: upper,
            width: barWidth,
            height: Math.max(1, y(stacked) - upper),
            fill: colour(platform),
            'data-platform': platform,
            'data-orders': orders,
          },
          svg(
            'title',
            {},
            `${labels.platform(platform)} · ${hourRange(bucket.start)}: ${orders} ${labels.text('orders')}`,
          ),
        ),
      );
      stacked += orders;
    }
    chart.append(group);
  });

  const totals = new Map(volume.byPlatform.map((row) => [row.platform, row.orders]));
  const legend = h(
    'ul',
    { class: 'legend' },
    ...platforms.map((platform) =>
      h(
        'li',
        { 'data-platform': platform, class: totals.get(platform) ? '' : 'zero' },
        svg(
          'svg',
          { class: 'swatch', width: 10, height: 10, 'aria-hidden': 'true' },
          svg('rect', { width: 10, height: 10, rx: 2, fill: colour(platform) }),
        ),
        `${labels.platform(platform)}: ${totals.get(platform) ?? 0}`,
      ),
    ),
  );
  return h(
    'figure',
    { class: 'volume' },
    chart,
    legend,
    h(
      'figcaption',
      { class: 'muted' },
      volume.total
        ? `${volume.total} ${labels.text('ordersInWindow')}`
        : labels.text('noOrdersInWindow'),
    ),
  );
}
