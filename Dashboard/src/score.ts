/** The colour of a readiness score: red below 60, amber below 80, green from 80. Apart from the charts, so views without charts do not load ECharts. */
export function scoreColor(score: number): string {
  return score >= 80 ? "#34d399" : score >= 60 ? "#fbbf24" : "#f87171";
}
