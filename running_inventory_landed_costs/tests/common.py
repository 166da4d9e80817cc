from odoo import Command, fields


class LandedCostFactories:
    """A freight service and its expense account, and landed costs of it validated on
    receipts, for the tests of a class based on PerpetualValuationCommon."""

    @classmethod
    def _create_freight(cls):
        cls.account_freight = cls.env["account.account"].create(
            {
                "name": "Freight on purchases",
                "code": "619901",
                "account_type": "expense",
                "company_ids": [Command.link(cls.company.id)],
            }
        )
        cls.freight = cls.env["product.product"].create(
            {
                "name": "Freight",
                "type": "service",
                "landed_cost_ok": True,
                "split_method_landed_cost": "by_quantity",
            }
        )

    def _landed_cost(self, pickings, amount, account=None, date=None):
        cost = self.env["stock.landed.cost"].create(
            {
                "date": date or fields.Date.context_today(self.env.user),
                "picking_ids": [Command.set(pickings.ids)],
                "cost_lines": [
                    Command.create(
                        {
                            "name": "Freight",
                            "product_id": self.freight.id,
                            "price_unit": amount,
                            "split_method": "by_quantity",
                            "account_id": (account or self.account_freight).id,
                        }
                    )
                ],
            }
        )
        with self._moment():
            cost.button_validate()
        self.assertEqual(cost.state, "done")
        return cost
