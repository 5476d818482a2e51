import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

// Only what the bar charts use, so the bundle carries no other chart types.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.color = '#1b1f24';
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Distinct series colours, each at least 3:1 against white. */
export const seriesColours = ['#0b5cad', '#b34700', '#17663a', '#7a3e9d', '#a4161a', '#00708a', '#4a5260', '#806000'];

export { Chart };
