import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A buyer, from the Inventory app to a demand-driven rule: the menu shows every demand-driven
// rule whatever its trigger, the rule's chart button opens its parameters, its explanation
// and its demand chart (bars and the min and max lines).
registry.category("web_tour.tours").add("running_inventory_buyer_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Inventory",
            trigger: '.o_app[data-menu-xmlid="stock.menu_stock_root"]',
            run: "click",
        },
        {
            content: "The overview's headline: the chair will run out",
            trigger: '.o_running_inventory_headline_card[data-key="stockout_risk"]:contains("At Risk of Stockout")',
        },
        {
            content: "Open the Operations menu",
            trigger: '.o_menu_sections button:contains("Operations")',
            run: "click",
        },
        {
            content: "Open the demand-driven rules",
            trigger:
                '.dropdown-item[data-menu-xmlid="running_inventory.stock_warehouse_orderpoint_menu_demand_driven"]',
            run: "click",
        },
        {
            content: "The Demand-Driven filter is on",
            trigger: '.o_searchview_facet:contains("Demand-Driven")',
        },
        {
            content: "The manual rule is listed too",
            trigger: '.o_data_row:has(td:contains("Tour Manual Stapler"))',
        },
        {
            content: "Open the chair's rule",
            trigger:
                '.o_data_row:has(td:contains("Tour Chair")) button[name="action_open_demand_form"]',
            run: "click",
        },
        {
            content: "Its explanation",
            trigger: '.modal .o_field_widget[name="demand_explanation"]:contains("ADD =")',
        },
        {
            content: "Its demand chart",
            trigger:
                '.modal .o_field_widget[name="demand_chart"] .o_running_inventory_demand_chart canvas:not(.d-none)',
        },
        {
            content: "Close the rule",
            trigger: ".modal .btn-close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
