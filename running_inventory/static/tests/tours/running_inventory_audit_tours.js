import { registry } from "@web/core/registry";

// The auditor's count with a recount, in four sittings (one tour per user): the auditor plans
// and starts a session for one counter, the counter counts (one count off), the second counter
// recounts the line assigned to them and submits, the auditor approves and reads the adjustment.
const tours = registry.category("web_tour.tours");
const appleCell = (fname) =>
    `.o_field_widget[name=line_ids] .o_data_row:has(td:contains("Audit Apple")) td[name="${fname}"]`;
const editRow = (product, quantity) => [
    {
        trigger: `.o_field_widget[name=line_ids] .o_data_row:has(td:contains("${product}")) td[name="quantity_counted"]`,
        run: "click",
    },
    {
        trigger: `.o_data_row.o_selected_row:has(td:contains("${product}")) td[name="quantity_counted"] input`,
        run: `edit ${quantity}`,
    },
];
const openSession = [
    {
        content: "Open the session",
        trigger: '.o_data_row td.o_data_cell:contains("Audit WH")',
        run: "click",
    },
];

tours.add("running_inventory_audit_plan_tour", {
    url: "/odoo/count-sessions",
    steps: () => [
        {
            content: "Plan a new session",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Its stock location comes from the warehouse",
            trigger: '.o_field_widget[name=location_ids] .o_tag:contains("Stock")',
        },
        {
            content: "Assign the counter",
            trigger: ".o_field_widget[name=counter_ids] input",
            run: "edit Audit Counter One",
        },
        {
            trigger: '.o-autocomplete--dropdown-item:contains("Audit Counter One")',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name=counter_ids] .o_tag:contains("Audit Counter One")',
        },
        {
            content: "Start counting: the snapshot is taken",
            trigger: 'button[name="action_start"]',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("In Progress")',
        },
        {
            content: "Nothing counted yet",
            trigger: `${appleCell("quantity_counted")} .o_running_inventory_not_counted`,
        },
    ],
});

tours.add("running_inventory_audit_count_tour", {
    url: "/odoo/count-sessions",
    steps: () => [
        ...openSession,
        ...editRow("Audit Apple", 1),
        ...editRow("Audit Banana", 3),
        { content: "Save the counts", trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        {
            content: "Every line counted: Counting Done is the highlighted button",
            trigger: 'button.btn-primary[name="action_count_done"]',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Counted")',
        },
        {
            content: "The first counter reads their count as counted, not as sent to a recount",
            trigger: `${appleCell("status")}:contains("Counted")`,
        },
        {
            trigger: `${appleCell("quantity_counted")}:contains("1.00")`,
        },
    ],
});

tours.add("running_inventory_audit_recount_tour", {
    url: "/odoo/count-sessions",
    steps: () => [
        ...openSession,
        {
            content: "The apples wait for my recount",
            trigger: `${appleCell("status")}:contains("To Recount")`,
        },
        {
            content: "Blind recount: the first count is not shown",
            trigger: `${appleCell("quantity_counted")} .o_running_inventory_not_counted`,
        },
        ...editRow("Audit Apple", 5),
        { content: "Save the recount", trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        {
            content: "Nothing left to recount: submit",
            trigger: 'button.btn-primary[name="action_submit"]',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("To Approve")',
        },
    ],
});

tours.add("running_inventory_audit_approve_tour", {
    url: "/odoo/count-sessions",
    steps: () => [
        ...openSession,
        {
            content: "The recount is by the second counter",
            trigger: `${appleCell("recount_user_id")}:contains("Audit Counter Two")`,
        },
        {
            content: "Approve",
            trigger: 'button[name="action_approve"]',
            run: "click",
        },
        {
            content: "Approving applies the differences",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Done")',
        },
        {
            content: "Open the adjustments",
            trigger: 'button[name="action_view_moves"]',
            run: "click",
        },
        {
            content: "A list of the adjustment moves",
            trigger: '.o_list_view .o_data_row td:contains("Audit Apple")',
        },
    ],
});
