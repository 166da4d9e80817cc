import { registry } from "@web/core/registry";

// A counter on a phone: opens their session, scans the shelf's products with the scan field
// (a handheld scanner types into it), saves and closes counting.
const scan = (barcode, expected) => [
    {
        content: `Scan ${barcode}`,
        trigger: '.o_field_widget[name="scan_barcode"] input',
        run: `edit ${barcode} && press Enter`,
    },
    {
        trigger: `.o_field_widget[name=line_ids] .o_data_row:has(td:contains("${expected[0]}")) td[name="quantity_counted"]:contains("${expected[1]}")`,
    },
];

registry.category("web_tour.tours").add("running_inventory_count_phone_tour", {
    url: "/odoo/count-sessions",
    steps: () => [
        {
            // A phone opens the sessions as cards (the kanban), not as a list.
            content: "Open the session assigned to me",
            trigger: '.o_kanban_record:contains("COUNT/PHONE")',
            run: "click",
        },
        {
            content: "Nothing counted yet",
            trigger: ".o_running_inventory_not_counted",
        },
        ...scan("PHONE-PEAR", ["Phone Pear", "1"]),
        ...scan("PHONE-PEAR", ["Phone Pear", "2"]),
        ...scan("PHONE-PLUM", ["Phone Plum", "1"]),
        {
            content: "Save the counts",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Close counting",
            trigger: 'button[name="action_count_done"]',
            run: "click",
        },
        {
            trigger: '.o_form_view:not(:has(button[name="action_count_done"]))',
        },
    ],
});
