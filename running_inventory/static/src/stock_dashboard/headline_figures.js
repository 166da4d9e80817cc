import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { StockKanbanView, StockKanbanRenderer } from "@stock/components/stock_overview/stock_overview";
import { Component, onWillStart, useState } from "@odoo/owl";

/**
 * The headline figures on top of the Inventory overview (running.inventory.dashboard): counts
 * due, counts to approve, stock vs books, products at risk of stockout; each opens its list.
 * The server gives each user only the figures they may read.
 */
export class RunningInventoryHeadlineFigures extends Component {
    static template = "running_inventory.HeadlineFigures";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ cards: [] });
        onWillStart(async () => {
            this.state.cards = await this.orm.call(
                "running.inventory.dashboard",
                "get_headline_figures",
                []
            );
        });
    }

    open(card) {
        this.action.doAction(card.action);
    }
}

export class RunningInventoryStockKanbanRenderer extends StockKanbanRenderer {
    static template = "running_inventory.StockKanbanRenderer";
    static components = {
        ...StockKanbanRenderer.components,
        RunningInventoryHeadlineFigures,
    };
}

export const runningInventoryStockKanbanView = {
    ...StockKanbanView,
    Renderer: RunningInventoryStockKanbanRenderer,
};

registry.category("views").add("running_inventory_stock_dashboard_kanban", runningInventoryStockKanbanView);
