import * as echarts from "echarts/core";
import { BarChart, FunnelChart, GaugeChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import { label, t } from "./i18n";
import { scoreColor } from "./score";
import type { ProjectFunnel } from "./live/contract";

// Only the pieces the screen uses; SVG stays sharp on large screens and in screenshots.
echarts.use([GaugeChart, FunnelChart, BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

const fontFamily = getComputedStyle(document.documentElement).getPropertyValue("--font").trim() || "sans-serif";
const text = "#dbe7ff";
const muted = "#8ea3c7";


/** Sizes follow the root font size, which follows the screen width (see screen.css). */
function rem(n: number): number {
  return n * parseFloat(getComputedStyle(document.documentElement).fontSize || "16");
}

export type ChartOption = echarts.EChartsCoreOption;

export class Chart {
  private readonly chart: echarts.ECharts;
  private readonly observer: ResizeObserver;

  constructor(element: HTMLElement) {
    this.chart = echarts.init(element, undefined, { renderer: "svg" });
    this.observer = new ResizeObserver(() => this.chart.resize());
    this.observer.observe(element);
  }

  set(option: echarts.EChartsCoreOption): void {
    this.chart.setOption({ textStyle: { fontFamily, color: text }, animationDurationUpdate: 600, ...option }, { notMerge: false });
  }

  dispose(): void {
    this.observer.disconnect();
    this.chart.dispose();
  }
}

export function gaugeOption(score: number | null): echarts.EChartsCoreOption {
  const value = score ?? 0;
  return {
    series: [
      {
        type: "gauge",
        startAngle: 215,
        endAngle: -35,
        min: 0,
        max: 100,
        radius: "88%",
        center: ["50%", "58%"],
        progress: { show: true, width: rem(1.1), roundCap: true, itemStyle: { color: scoreColor(value) } },
        axisLine: { lineStyle: { width: rem(1.1), color: [[1, "rgba(142,163,199,0.18)"]] }, roundCap: true },
        axisTick: { show: false },
        splitNumber: 5,
        splitLine: { show: false },
        // Just outside the arc, so the coloured progress never covers them.
        axisLabel: { distance: -rem(2.3), color: muted, fontSize: rem(0.75) },
        pointer: { show: false },
        anchor: { show: false },
        title: { show: false },
        detail: {
          valueAnimation: true,
          offsetCenter: [0, "8%"],
          fontSize: rem(4.2),
          fontWeight: 700,
          color: scoreColor(value),
          formatter: score === null ? "—" : "{value}",
        },
        data: [{ value }],
      },
    ],
  };
}

/** Projects that reached each stage or a later one, so the funnel narrows like the pipeline does. */
export function funnelOption(funnel: ProjectFunnel): echarts.EChartsCoreOption {
  const stages = funnel.stages;
  const reached = stages.map((_, i) => stages.slice(i).reduce((sum, s) => sum + s.projects, 0));
  const colors = ["#3b82f6", "#4f8cf7", "#22b8cf", "#20c997", "#40c057", "#94d82d"];
  return {
    tooltip: {
      trigger: "item",
      formatter: (p: { dataIndex: number }) => {
        const stage = stages[p.dataIndex];
        return `${label("projectStage", stage.stage)}<br/>${reached[p.dataIndex]} ${t("screen.projects")} · ${stage.enterprises} ${t("screen.enterprises")}`;
      },
    },
    series: [
      {
        type: "funnel",
        sort: "none",
        // The funnel keeps the left part; stage names and counts stand to its right, readable in either language.
        left: "2%",
        right: "42%",
        top: "3%",
        bottom: "3%",
        minSize: "14%",
        gap: rem(0.2),
        label: {
          show: true,
          position: "right",
          color: text,
          fontSize: rem(0.9),
          formatter: (p: { dataIndex: number }) => `{name|${label("projectStage", stages[p.dataIndex].stage)}}  {value|${reached[p.dataIndex]}}`,
          rich: {
            name: { color: text, fontSize: rem(0.9) },
            value: { color: "#7cc4ff", fontSize: rem(1.05), fontWeight: 700 },
          },
        },
        labelLine: { show: true, length: rem(0.6), lineStyle: { color: "rgba(142,163,199,0.35)" } },
        itemStyle: { borderWidth: 0 },
        data: stages.map((s, i) => ({ name: s.stage, value: reached[i], itemStyle: { color: colors[i % colors.length] } })),
      },
    ],
  };
}

export function targetsOption(funnel: ProjectFunnel): echarts.EChartsCoreOption {
  const targets = [...funnel.targets].reverse();
  const percent = targets.map((x) => (x.tracked && x.target > 0 ? Math.min(100, Math.round((x.actual / x.target) * 100)) : 0));
  return {
    grid: { left: rem(0.5), right: rem(5.5), top: rem(0.2), bottom: rem(0.2), containLabel: true },
    xAxis: { type: "value", max: 100, show: false },
    yAxis: {
      type: "category",
      data: targets.map((x) => label("target", x.key)),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { color: text, fontSize: rem(0.85) },
    },
    series: [
      {
        type: "bar",
        barWidth: "46%",
        showBackground: true,
        backgroundStyle: { color: "rgba(142,163,199,0.14)", borderRadius: rem(0.3) },
        itemStyle: { borderRadius: rem(0.3) },
        label: {
          show: true,
          position: "right",
          distance: rem(0.5),
          color: text,
          fontSize: rem(0.85),
          formatter: (p: { dataIndex: number }) => {
            const x = targets[p.dataIndex];
            return x.tracked ? `${x.actual} / ${x.target}` : `${t("screen.notTracked")} / ${x.target}`;
          },
        },
        data: percent.map((value, i) => ({
          value: targets[i].tracked ? value : 0,
          itemStyle: { color: value >= 100 ? "#34d399" : value >= 60 ? "#22b8cf" : "#3b82f6" },
        })),
      },
    ],
  };
}

/** One day of an S-curve: cumulative planned and earned progress (0-100); earned is null where it is not known. */
export interface CurvePoint {
  date: string;
  planned: number;
  earned?: number | null;
}

/**
 * The S-curve: planned progress over the whole preparation window (dashed) against earned progress up to today (solid),
 * with today marked. For the light pages: colours are set here, not taken from the big screen's theme.
 */
export function curveOption(points: readonly CurvePoint[], today: string, names: { planned: string; earned: string; today: string }): echarts.EChartsCoreOption {
  const ink = "#303133";
  const grey = "#909399";
  return {
    textStyle: { color: ink },
    tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (v == null ? "—" : `${v}%`) },
    legend: { top: 0, textStyle: { color: ink }, data: [names.planned, names.earned] },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: {
      type: "category",
      boundaryGap: false,
      data: points.map((p) => p.date),
      axisLabel: { color: grey, formatter: (d: string) => d.slice(5) },
      axisLine: { lineStyle: { color: "#dcdfe6" } },
    },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { color: grey, formatter: "{value}%" }, splitLine: { lineStyle: { color: "#ebeef5" } } },
    series: [
      {
        name: names.planned,
        type: "line",
        showSymbol: false,
        lineStyle: { type: "dashed", width: 2, color: "#909399" },
        itemStyle: { color: "#909399" },
        data: points.map((p) => p.planned),
        markLine: {
          symbol: "none",
          silent: true,
          label: { formatter: names.today, color: "#e6a23c" },
          lineStyle: { color: "#e6a23c", type: "solid" },
          data: [{ xAxis: today }],
        },
      },
      {
        name: names.earned,
        type: "line",
        showSymbol: false,
        connectNulls: false,
        lineStyle: { width: 3, color: "#409eff" },
        itemStyle: { color: "#409eff" },
        areaStyle: { color: "rgba(64,158,255,0.12)" },
        data: points.map((p) => p.earned ?? null),
      },
    ],
  };
}
