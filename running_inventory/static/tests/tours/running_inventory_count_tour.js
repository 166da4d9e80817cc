import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A counter, from their Stock Counts app to a counted session: types one count, scans the other
// product three times, saves and closes counting. The session is blind: no expected column.
registry.category("web_tour.tours").add("running_inventory_count_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Stock Counts",
            trigger: '.o_app[data-menu-xmlid="running_inventory.running_inventory_count_menu_root"]',
            run: "click",
        },
        {
            content: "Open the session assigned to me",
            trigger: '.o_data_row td.o_data_cell:contains("COUNT/TOUR")',
            run: "click",
        },
        {
            content: "Blind count: no expected quantity column",
            trigger:
                '.o_field_widget[name=line_ids] .o_list_table:not(:has(th[data-name="quantity_expected"])):not(:has(th[data-name="quantity_expected_visible"]))',
        },
        {
            content: "Nothing counted yet: the lines say so, not 0.00",
            trigger:
                '.o_data_row:has(td:contains("Tour Apple")) td[name="quantity_counted"] .o_running_inventory_not_counted',
        },
        {
            content: "Count the apples",
            trigger: '.o_data_row:has(td:contains("Tour Apple")) td.o_data_cell[name="quantity_counted"]',
            run: "click",
        },
        {
            trigger: '.o_data_row.o_selected_row td[name="quantity_counted"] input',
            run: "edit 5",
        },
        {
            content: "Scan the first banana",
            trigger: '.o_field_widget[name="scan_barcode"] input',
            run: "edit TOUR-BANANA && press Enter",
        },
        {
            trigger: '.o_data_row:has(td:contains("Tour Banana")) td[name="quantity_counted"]:contains("1")',
        },
        {
            content: "Scan the second banana",
            trigger: '.o_field_widget[name="scan_barcode"] input',
            run: "edit TOUR-BANANA && press Enter",
        },
        {
            trigger: '.o_data_row:has(td:contains("Tour Banana")) td[name="quantity_counted"]:contains("2")',
        },
        {
            content: "Scan the third banana",
            trigger: '.o_field_widget[name="scan_barcode"] input',
            run: "edit TOUR-BANANA && press Enter",
        },
        {
            trigger: '.o_data_row:has(td:contains("Tour Banana")) td[name="quantity_counted"]:contains("3")',
        },
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
            content: "The session is counted",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Counted")',
        },
    ],
});
