import { _t } from "@web/core/l10n/translation";
import { loadBundle } from "@web/core/assets";
import { getColor } from "@web/core/colors/colors";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";

/**
 * The demand chart of a demand-driven reorder rule: the net demand of its window as bars
 * (per day or per week, see tools/demand_chart.py) and its min and max as reference lines.
 * Chart.js is Odoo's own (web.chartjs_lib), loaded on demand like the graph view does.
 */
export class DemandChartField extends Component {
    static template = "running_inventory.DemandChartField";
    static props = { ...standardFieldProps };

    setup() {
        this.chart = null;
        this.canvasRef = useRef("canvas");
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderChart();
                return () => this.chart?.destroy();
            },
            () => [JSON.stringify(this.data)]
        );
    }

    get data() {
        return this.props.record.data[this.props.name];
    }

    get hasDemand() {
        return Boolean(this.data && this.data.demand.some((quantity) => quantity > 0));
    }

    /** A constant line over every bar: Odoo's Chart.js has no annotation plugin. */
    referenceLine(label, value, colorIndex, dash) {
        return {
            type: "line",
            label,
            data: this.data.labels.map(() => value),
            borderColor: getColor(colorIndex, "light", "odoo"),
            borderDash: dash,
            borderWidth: 2,
            pointRadius: 0,
            fill: false,
        };
    }

    renderChart() {
        this.chart?.destroy();
        this.chart = null;
        if (!this.data || !this.canvasRef.el) {
            return;
        }
        const demandLabel = this.data.period === "week" ? _t("Weekly demand") : _t("Daily demand");
        this.chart = new Chart(this.canvasRef.el, {
            type: "bar",
            data: {
                labels: this.data.labels,
                datasets: [
                    {
                        type: "bar",
                        label: demandLabel,
                        data: this.data.demand,
                        backgroundColor: getColor(1, "light", "odoo"),
                        order: 2,
                    },
                    { ...this.referenceLine(_t("Min"), this.data.min, 2, [6, 4]), order: 1 },
                    { ...this.referenceLine(_t("Max"), this.data.max, 3, []), order: 0 },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                interaction: { intersect: false, mode: "index" },
                plugins: { legend: { position: "top" } },
                scales: { y: { beginAtZero: true } },
            },
        });
    }
}

export const demandChartField = {
    component: DemandChartField,
    displayName: _t("Demand Chart"),
    supportedTypes: ["json"],
};

registry.category("fields").add("running_inventory_demand_chart", demandChartField);
