from odoo.tests import Form


class ManufacturingFactories:
    """Manufacturing orders produced in full, for the tests of a class based on
    PerpetualValuationCommon."""

    def _produce(self, bom, quantity):
        form = Form(self.env["mrp.production"])
        form.product_id = bom.product_id or bom.product_tmpl_id.product_variant_id
        form.bom_id = bom
        form.product_qty = quantity
        production = form.save()
        production.action_confirm()
        with Form(production) as form:
            form.qty_producing = quantity
        production.move_raw_ids.picked = True
        with self._moment():
            production.button_mark_done()
        self.assertEqual(production.state, "done")
        return production
