import { registry } from "@web/core/registry";

// The accountant closes the month: opens the reconciliation, computes it, sees the difference
// the line typed by hand makes, posts the adjusting entry, recomputes (the books agree) and
// validates the reconciliation, which is then locked.
registry.category("web_tour.tours").add("running_inventory_reconciliation_tour", {
    url: "/odoo/action-running_inventory.running_inventory_reconciliation_action",
    steps: () => [
        {
            content: "Open this month's reconciliation",
            trigger: '.o_data_row td.o_data_cell:contains("SR/TOUR")',
            run: "click",
        },
        {
            content: "Compute it",
            trigger: 'button[name="action_compute"]:contains("Compute")',
            run: "click",
        },
        {
            content: "The books hold 40.00 more than the stock",
            trigger: '.o_field_widget[name="difference"]:contains("-40.00")',
        },
        {
            content: "Adjust the difference",
            trigger: 'button[name="action_open_adjust"]',
            run: "click",
        },
        {
            content: "The adjusting entry takes the 40.00",
            trigger: '.modal .o_field_widget[name="amount"]:contains("-40.00")',
        },
        {
            content: "Post the adjusting entry",
            trigger: '.modal button[name="action_post"]',
            run: "click",
        },
        {
            content: "The adjusting entry is posted",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Posted")',
        },
        {
            content: "Back to the reconciliation",
            trigger: '.o_breadcrumb .breadcrumb-item a:contains("SR/TOUR")',
            run: "click",
        },
        {
            content: "Recompute with the adjusting entry",
            trigger: 'button[name="action_compute"]:contains("Recompute")',
            run: "click",
        },
        {
            content: "Stock and books agree",
            trigger: '.ribbon:contains("Books agree")',
        },
        {
            content: "Validate the month-end reconciliation",
            trigger: 'button[name="action_validate"].btn-primary',
            run: "click",
        },
        {
            content: "Validated: signed off and locked",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Validated")',
        },
        {
            trigger: '.o_form_view:not(:has(button[name="action_compute"]))',
        },
    ],
});
