"""Perpetual postings: what the mode adds to picking validation, and whether it grows with a
product's history. Run by `make bench`; figures go in the issue notes.

Same database, same run: products in a perpetual category against products in a periodic one
(Odoo's default, which posts nothing), both AVCO; every picking validated by its own call.
"""

from common import Probe, odoo_env, parse_args, ratio

from odoo import Command

BATCH = 200
MODES = ("perpetual", "periodic")


class PostingBench:
    def __init__(self, env):
        self.env = env
        company = env.company
        self.warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        self.stock = self.warehouse.lot_stock_id
        self.supplier = env.ref("stock.stock_location_suppliers")
        self.customer = env.ref("stock.stock_location_customers")
        self.categories = {
            mode: env["product.category"].create(
                {
                    "name": f"Bench {mode}",
                    "property_cost_method": "average",
                    "property_valuation": mode,
                }
            )
            for mode in ("perpetual", "periodic")
        }
        assert company.inventory_valuation == "perpetual", "the bench database must be perpetual"

    def products(self, mode, count):
        return self.env["product.product"].create(
            [
                {
                    "name": f"Bench {mode} {index}",
                    "is_storable": True,
                    "categ_id": self.categories[mode].id,
                    "standard_price": 10.0,
                }
                for index in range(count)
            ]
        )

    def picking(self, products, quantity, incoming):
        source, destination = (
            (self.supplier, self.stock) if incoming else (self.stock, self.customer)
        )
        picking_type = self.warehouse.in_type_id if incoming else self.warehouse.out_type_id
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "value_manual": 10.0 * quantity if incoming else 0.0,
                        }
                    )
                    for product in products
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        return picking

    @staticmethod
    def validate(picking):
        picking._action_done()

    def one_line_pickings(self, incoming):
        """BATCH one-line pickings per mode, validated alternately so that both modes see the
        same load on the machine."""
        pickings = {mode: [self.picking(self.products(mode, 1), 1, incoming)] for mode in MODES}
        for mode in MODES:
            product = pickings[mode][0].product_id
            if not incoming:
                self.validate(self.picking(product, BATCH + 1, incoming=True))
            pickings[mode] += [self.picking(product, 1, incoming) for _ in range(BATCH - 1)]
        probes = {mode: Probe(self.env) for mode in MODES}
        for index in range(BATCH):
            order = MODES if index % 2 else MODES[::-1]
            for mode in order:
                probes[mode](self.validate, pickings[mode][index])
        return probes

    def many_line_pickings(self, incoming, count=5):
        """`count` pickings of BATCH lines (one product each) per mode, alternately."""
        products = {mode: self.products(mode, BATCH) for mode in MODES}
        if not incoming:  # stock to deliver from
            for mode_products in products.values():
                self.validate(self.picking(mode_products, count, incoming=True))
        probes = {mode: Probe(self.env) for mode in MODES}
        for index in range(count):
            for mode in MODES if index % 2 else MODES[::-1]:
                probes[mode](self.validate, self.picking(products[mode], 1, incoming))
        return probes

    def history(self, prior_moves):
        """Per-move cost of one-line receipts and deliveries of a product that already has
        `prior_moves` done receipts (validated as one picking of as many moves), per mode,
        alternately."""
        products = {}
        for mode in MODES:
            product = self.products(mode, 1)
            history = self.picking(product, 1, incoming=True)
            history.move_ids = [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "location_id": self.supplier.id,
                        "location_dest_id": self.stock.id,
                        "value_manual": 10.0,
                    }
                )
                for _ in range(prior_moves - 1)
            ]
            history.action_confirm()
            history.move_ids.quantity = 1
            history.move_ids.picked = True
            history._action_done()
            products[mode] = product
        probes = {(mode, kind): Probe(self.env) for mode in MODES for kind in ("in", "out")}
        for index in range(20):
            order = MODES if index % 2 else MODES[::-1]
            for mode in order:
                for kind, incoming in (("in", True), ("out", False)):
                    picking = self.picking(products[mode], 1, incoming)
                    probes[mode, kind](self.validate, picking)
        return probes


def row(label, perpetual, periodic, per_move=1, skip=5):
    (p_seconds, p_queries), (o_seconds, o_queries) = perpetual.median(skip), periodic.median(skip)
    print(
        f"{label:<34} {o_seconds * 1000 / per_move:9.2f} {p_seconds * 1000 / per_move:9.2f}"
        f" {100 * (ratio(p_seconds, o_seconds) - 1):+8.1f}%"
        f" {o_queries / per_move:9.2f} {p_queries / per_move:9.2f}"
        f" {(p_queries - o_queries) / per_move:+9.2f}"
    )


def main():
    args = parse_args(__doc__)
    with odoo_env(args.config, args.database) as env:
        bench = PostingBench(env)
        print(f"Perpetual postings, {BATCH}-move batches, AVCO; medians per move (ms, SQL queries)")
        headers = ("periodic", "perpet.", "added", "q perio", "q perp", "q added")
        print(f"{'':34}" + "".join(f" {header:>9}" for header in headers))
        for incoming, label in ((True, "receipts"), (False, "deliveries")):
            probes = bench.one_line_pickings(incoming)
            row(f"{BATCH} one-line {label}", probes["perpetual"], probes["periodic"])
            probes = bench.many_line_pickings(incoming)
            row(
                f"one {BATCH}-line {label}",
                probes["perpetual"],
                probes["periodic"],
                per_move=BATCH,
                skip=1,
            )
        print()
        print("Growth with the product's history: one-line pickings, ms per move (20 each)")
        headers = ("periodic", "perpet.", "added", "q added")
        print(f"{'prior moves':>12} {'':12}" + "".join(f" {header:>9}" for header in headers))
        added = {}
        for prior in (100, 10_000):
            probes = bench.history(prior)
            for kind, label in (("in", "receipt"), ("out", "delivery")):
                (p_s, p_q) = probes["perpetual", kind].median(2)
                (o_s, o_q) = probes["periodic", kind].median(2)
                added[prior, label] = (p_s - o_s, o_s)
                print(
                    f"{prior:>12} {label:12} {o_s * 1000:9.2f} {p_s * 1000:9.2f}"
                    f" {(p_s - o_s) * 1000:+9.2f} {p_q - o_q:+9.0f}"
                )
        print()
        for kind in ("receipt", "delivery"):
            (added_100, odoo_100), (added_10k, odoo_10k) = added[100, kind], added[10_000, kind]
            print(
                f"{kind}: added cost at 10,000 / at 100 prior moves ="
                f" {ratio(added_10k, added_100):.2f}"
                f"   (Odoo's own cost grows {ratio(odoo_10k, odoo_100):.2f}x)"
            )


if __name__ == "__main__":
    main()
