# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ReportRunningInventoryReportCountVariance(models.AbstractModel):
    """The variance report prints expected quantities and values: auditors only, checked on the
    server when it renders (the action's groups only hide it from menus), whatever the session's
    state and whether any line is counted yet."""

    _name = "report.running_inventory.report_count_variance"
    _description = "Count Variances Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        counts = self.env["running.inventory.count"]
        counts._ensure_auditor()
        docs = counts.browse(docids)
        docs.check_access("read")
        return {"doc_ids": docids, "doc_model": counts._name, "docs": docs, "data": data}
