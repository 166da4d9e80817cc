# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The buyer-facing explanation of a demand-driven min and max, kept apart from the model.

:func:`demand_explanation` turns the figures of one recomputation (see
``stock.warehouse.orderpoint._prepare_demand_vals``) into the text of the rule's "How Min and Max
Came Out": each formula with its numbers, in the user's language.
"""

from odoo.tools import format_date, get_lang


class DemandFormat:
    """Numbers and dates as the buyer reads them, set up once per recomputation.

    ``formatLang`` and ``format_date`` look the language up at each call, too slow for the
    thirty figures of ten thousand explanations. Thousands are grouped by three.
    """

    def __init__(self, env):
        lang = get_lang(env)
        self._env = env
        self._separators = str.maketrans(
            {",": lang.thousands_sep or "", ".": lang.decimal_point or "."}
        )
        self._dates = {}

    def num(self, value, digits=2):
        return f"{value:,.{digits}f}".translate(self._separators)

    def date(self, day):
        if day not in self._dates:
            self._dates[day] = format_date(self._env, day)
        return self._dates[day]


def demand_explanation(rule, state, figures, fmt):
    """The buyer's reading of the recomputation: figures and formulas with their numbers."""
    rule.ensure_one()
    num = fmt.num
    demand = figures["demand"]
    uom = rule.product_uom.name
    lines = [_window_explanation(rule, figures, fmt)]
    kept = {"min": num(rule.product_min_qty), "max": num(rule.product_max_qty), "uom": uom}
    if state == "no_history":
        lines.append(
            rule.env._(
                "No demand in the window: min and max are left as they are "
                "(%(min)s and %(max)s %(uom)s).",
                **kept,
            )
        )
        return "\n".join(lines)
    lines.append(_series_explanation(rule, demand, fmt))
    if state == "intermittent":
        lines.append(
            rule.env._(
                "Intermittent demand: %(share)s %% of the days have no demand, above the "
                "%(limit)s %% threshold. A daily average and σ do not describe such demand; "
                "min and max are left as they are (%(min)s and %(max)s %(uom)s).",
                share=num(demand.zero_share * 100, 1),
                limit=num(rule.demand_intermittent_share, 1),
                **kept,
            )
        )
        return "\n".join(lines)
    lines.append(_lead_time_explanation(rule, figures["lead"], fmt))
    if state == "computed":
        lines.extend(_min_max_explanation(rule, demand, figures, fmt))
    return "\n".join(lines)


def _window_explanation(rule, figures, fmt):
    demand = figures["demand"]
    return rule.env._(
        "Demand at %(warehouse)s over %(days)s days (%(first)s to %(last)s): "
        "%(delivered)s %(uom)s delivered or consumed, %(returned)s returned, "
        "net %(net)s %(uom)s.",
        warehouse=rule.warehouse_id.name,
        days=demand.days,
        first=fmt.date(figures["first_day"]),
        last=fmt.date(figures["last_day"]),
        delivered=fmt.num(demand.delivered),
        returned=fmt.num(demand.returned),
        net=fmt.num(demand.net),
        uom=rule.product_uom.name,
    )


def _series_explanation(rule, demand, fmt):
    num = fmt.num
    if demand.cap is None:
        outliers = rule.env._("Outliers: not capped.")
    elif demand.capped_days:
        outliers = rule.env._(
            "Outliers: %(count)s day(s) above mean + k × σ = %(mean)s + %(k)s × %(sigma)s "
            "= %(cap)s, capped to %(cap)s.",
            count=demand.capped_days,
            mean=num(demand.raw_average),
            k=num(rule.demand_outlier_k),
            sigma=num(demand.raw_stddev),
            cap=num(demand.cap),
        )
    else:
        outliers = rule.env._(
            "Outliers: none above mean + k × σ = %(mean)s + %(k)s × %(sigma)s = %(cap)s.",
            mean=num(demand.raw_average),
            k=num(rule.demand_outlier_k),
            sigma=num(demand.raw_stddev),
            cap=num(demand.cap),
        )
    return rule.env._(
        "Average daily demand ADD = %(net)s / %(days)s = %(add)s %(uom)s/day, standard "
        "deviation σ = %(sigma)s; %(zero)s day(s) of %(days)s without demand. %(outliers)s",
        net=num(demand.counted),
        days=demand.days,
        add=num(demand.average),
        uom=rule.product_uom.name,
        sigma=num(demand.stddev),
        zero=demand.zero_days,
        outliers=outliers,
    )


def _lead_time_explanation(rule, lead, fmt):
    num = fmt.num
    if lead["manual"]:
        return rule.env._("Lead time L = %(days)s days, set on the rule.", days=num(lead["days"]))
    if lead.get("no_vendor"):
        return rule.env._(
            "No lead time: the rule buys the product but it has no vendor. Add a vendor "
            "to the product, or set a lead time override on the rule."
        )
    if lead["days"] <= 0:
        return rule.env._(
            "No lead time: neither a vendor's delay nor a route delay applies to this rule. "
            "Set a lead time override on the rule."
        )
    return rule.env._(
        "Lead time L = %(days)s days, Odoo's lead time for this rule: vendor's delay "
        "%(vendor)s days + %(other)s days (days to purchase, route delays).",
        days=num(lead["days"]),
        vendor=num(lead["vendor_days"]),
        other=num(lead["days"] - lead["vendor_days"]),
    )


def _min_max_explanation(rule, demand, figures, fmt):
    num = fmt.num
    uom = rule.product_uom.name
    common = {
        "z": num(figures["z"], 3),
        "sigma": num(demand.stddev),
        "lead": num(figures["lead"]["days"]),
        "add": num(demand.average),
        "safety": num(figures["safety"]),
        "step": num(figures["step"]),
        "min": num(figures["min"]),
        "uom": uom,
    }
    safety = _safety_explanation(rule, common, fmt)
    if figures["packaging"]:
        max_rounding = rule.env._(
            "rounded up to the packaging %(packaging)s (%(qty)s %(uom)s)",
            packaging=figures["packaging"].name,
            qty=num(figures["pack_qty"]),
            uom=uom,
        )
    else:
        max_rounding = rule.env._("rounded up to a multiple of %(step)s %(uom)s", **common)
    return [
        rule.env._(
            "Service level %(level)s %% gives z = %(z)s.",
            level=num(rule.demand_service_level),
            **common,
        ),
        safety,
        rule.env._(
            "Min = ADD × L + safety stock = %(add)s × %(lead)s + %(safety)s = %(raw)s, "
            "rounded up to a multiple of %(step)s %(uom)s: %(min)s %(uom)s.",
            raw=num(figures["min_raw"]),
            **common,
        ),
        rule.env._(
            "Max = Min + ADD × review period = %(min)s + %(add)s × %(review)s = %(raw)s, "
            "%(rounding)s: %(max)s %(uom)s.",
            review=rule.demand_review_days,
            raw=num(figures["max_raw"]),
            rounding=max_rounding,
            max=num(figures["max"]),
            **common,
        ),
    ]


def _safety_explanation(rule, common, fmt):
    if rule.demand_lead_days_stddev:
        return rule.env._(
            "Safety stock = z × √(L × σ² + ADD² × σL²) = %(z)s × √(%(lead)s × %(sigma)s² + "
            "%(add)s² × %(lead_sigma)s²) = %(safety)s %(uom)s.",
            lead_sigma=fmt.num(rule.demand_lead_days_stddev),
            **common,
        )
    return rule.env._(
        "Safety stock = z × σ × √L = %(z)s × %(sigma)s × √%(lead)s = %(safety)s %(uom)s.",
        **common,
    )
