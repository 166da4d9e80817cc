# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every public method of the addons, called over the real JSON-RPC endpoint with hostile
arguments as each role: the answer is a result or a clean error, never a traceback.

The methods are read from the registry: those defined in a class of an addon
``running_inventory*`` that Odoo lets a client call (no leading underscore, not
``@api.private``), on every model the addons define or extend. Each one is called once per kind
of hostile argument and role (run with ``--odoo-http``): malformed record ids, then each of its
parameters in turn given a value of the wrong type or out of range.

Odoo's own ORM methods that the addons override (``create``, ``write``...) answer malformed ids
and values of the wrong type as Odoo does for every model (the dispatcher builds the records
from whatever ids it is given, ``write(None)`` fails on ``vals.items()``): for them, a server
error is a hole only where Odoo answers cleanly on a model the addons leave alone
(``res.partner``). Odoo's other public methods that the addons override (``stock_value``,
``action_apply_inventory``, ``button_draft``...) are the addons' entry points too: their
overrides check the records and parameters a client sends before Odoo's code uses them, and
must answer cleanly like the addons' own methods (:data:`ODOO_FIRST` lists the calls where
Odoo's code fails before the override is reached, which the addons leave to Odoo).
"""

import inspect
import json
import logging
import math

from odoo import models
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

ADDON_MODULE = "odoo.addons.running_inventory"
CLEAN_ERRORS = frozenset(
    f"odoo.exceptions.{name}"
    for name in ("UserError", "ValidationError", "AccessError", "MissingError", "RedirectWarning")
)
ANSWERS = CLEAN_ERRORS | {None}
MALFORMED_IDS = {
    "nested": [[1]],
    "empty": [],
    "too_big": [2**63],
    "negative": [-1],
    "string": ["1"],
    "none": None,
}
HOSTILE_VALUES = {
    "none": None,
    "nan": math.nan,
    "infinity": math.inf,
    "minus_infinity": -math.inf,
    "too_big": 2**63,
    "negative": -1,
    "string": "hostile",
    "nested_ids": [[1]],
    "huge_dict": {f"field_{index}": index for index in range(2000)},
}
# The demo roles (see demo/res_users_demo.xml), and a plain Inventory / User.
ROLES = {
    "fuzz_counter": "running_inventory.group_inventory_counter",
    "fuzz_auditor": "running_inventory.group_inventory_auditor",
    "fuzz_accountant": "account.group_account_manager",
    "fuzz_stock_user": "stock.group_stock_user",
}
# Odoo's model to compare the ORM methods with: the addons do not touch it.
BASELINE_MODEL = "res.partner"
# Odoo's public methods that the addons override, which must answer cleanly too.
ODOO_METHODS_OVERRIDDEN = {
    ("res.company", "action_close_stock_valuation"),
    ("stock.quant", "action_apply_inventory"),
    ("account.move", "button_draft"),
    ("running.inventory.count", "on_barcode_scanned"),
    # The bridges'.
    ("mrp.unbuild", "action_unbuild"),
    ("stock.landed.cost", "button_validate"),
}
# Odoo's public methods whose answer no RPC answer can carry ({account record: amount}): the
# addons' overrides make them server-side only.
ODOO_METHODS_MADE_PRIVATE = (
    ("res.company", "stock_value"),
    ("res.company", "stock_accounting_value"),
)
# {(model, method, kind)} where Odoo's code, before the addons' override, answers a hostile
# call with a server error: Odoo's, left to it (none known).
ODOO_FIRST = frozenset()


def addon_public_methods(env):
    """{(model name, method name): the method} of every public method defined in a class of
    the addons on a model that clients may call."""
    methods = {}
    for model_name in sorted(env.registry):
        model = env[model_name]
        if model._abstract:
            continue
        cls = type(model)
        for klass in cls.__mro__:
            if not (klass.__dict__.get("__module__") or "").startswith(ADDON_MODULE):
                continue
            for name in klass.__dict__:
                method = getattr(cls, name, None)
                if (
                    name.startswith("_")
                    or (model_name, name) in methods
                    or not inspect.isfunction(method)
                    or any(
                        getattr(getattr(k, name, None), "_api_private", False) for k in cls.mro()
                    )
                ):
                    continue
                methods[model_name, name] = method
    return methods


def is_odoo_method(model, name):
    """Whether Odoo (not the addons) defines the method, which the addons override."""
    return any(
        name in klass.__dict__
        for klass in type(model).__mro__
        if not (klass.__dict__.get("__module__") or ADDON_MODULE).startswith(ADDON_MODULE)
    )


def parameters(method):
    """The names of the parameters a client passes (after the records)."""
    return [
        parameter.name
        for parameter in list(inspect.signature(method).parameters.values())[1:]
        if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
    ]


@tagged("post_install", "-at_install")
class TestFuzzRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logins = ["admin"]
        for login, group in ROLES.items():
            new_test_user(cls.env, login=login, groups=f"base.group_user,{group}")
            cls.logins.append(login)

    def _call(self, model, method, args, kwargs=None):
        """The class of the error the endpoint answers with (None for a result) and its
        message."""
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 0,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
            timeout=120,
        )
        answer = response.json()
        if "error" not in answer:
            return None, None
        data = answer["error"].get("data") or {}
        return data.get("name"), (data.get("message") or "")[:200]

    def _calls(self, model_name, name, method, record_id):
        """(kind, args, kwargs) of each hostile call of the method."""
        api_model = getattr(method, "_api_model", False)
        ids = [] if api_model else [[record_id]]
        if not api_model:
            for kind, malformed in MALFORMED_IDS.items():
                yield f"ids={kind}", [malformed], dict.fromkeys(parameters(method))
        for parameter in parameters(method):
            for kind, value in HOSTILE_VALUES.items():
                yield f"{parameter}={kind}", ids, {parameter: value}

    def _baselines(self, methods, orm_methods):
        """{(ORM method, kind): the error class Odoo answers with} on the baseline model, as
        the administrator (whose rights do not stop the call first)."""
        self.authenticate("admin", "admin")
        baseline_id = self.env[BASELINE_MODEL].search([], limit=1).id
        baselines = {}
        for (model_name, name), method in methods.items():
            if name not in orm_methods:
                continue
            for kind, args, kwargs in self._calls(model_name, name, method, baseline_id):
                if (name, kind) not in baselines:
                    baselines[name, kind] = self._call(BASELINE_MODEL, name, args, kwargs)[0]
        return baselines

    def test_every_public_method_answers_cleanly(self):
        methods = addon_public_methods(self.env)
        self.assertIn(("running.inventory.count", "record_counts"), methods)
        orm_methods = {name for name in dir(models.BaseModel) if not name.startswith("_")}
        overridden = {
            (model_name, name)
            for model_name, name in methods
            if name not in orm_methods and is_odoo_method(self.env[model_name], name)
        }
        # Every override of Odoo's public methods is known here (the bridges' where installed).
        self.assertLessEqual(overridden, ODOO_METHODS_OVERRIDDEN)
        self.assertIn(("res.company", "action_close_stock_valuation"), overridden)
        self.assertIn(("stock.quant", "action_apply_inventory"), overridden)
        record_ids = {
            model_name: self.env[model_name].sudo().search([], limit=1, order="id").id or 1
            for model_name in {model_name for model_name, _name in methods}
        }
        holes = {}
        odoo_answers = set()
        with mute_logger("odoo.http", "odoo.sql_db", "odoo.models", "odoo.service.model"):
            baselines = self._baselines(methods, orm_methods)
            for login in self.logins:
                self.authenticate(login, login)
                for (model_name, name), method in methods.items():
                    calls = self._calls(model_name, name, method, record_ids[model_name])
                    for kind, args, kwargs in calls:
                        error, message = self._call(model_name, name, args, kwargs)
                        if error is None or error in CLEAN_ERRORS:
                            continue
                        if (model_name, name, kind) in ODOO_FIRST:
                            odoo_answers.add(f"{model_name}.{name}({kind}) -> {error}")
                            continue
                        if name in orm_methods and baselines.get((name, kind)) not in ANSWERS:
                            # Odoo's ORM itself answers this one with a server error.
                            continue
                        hole = f"{model_name}.{name}({kind}) -> {error}: {message}"
                        holes.setdefault(hole, []).append(login)
            company_id = self.env.company.id
            for login in self.logins:
                self.authenticate(login, login)
                for model_name, name in ODOO_METHODS_MADE_PRIVATE:
                    for args in ([[company_id]], [[[1]]], [None]):
                        error, message = self._call(model_name, name, args)
                        if error != "odoo.exceptions.AccessError":
                            hole = f"{model_name}.{name}{args} -> {error}: {message}"
                            holes.setdefault(hole, []).append(login)
        _logger.info("Odoo's code answers first: %s", "\n".join(sorted(odoo_answers)))
        report = [f"{hole} [{', '.join(logins)}]" for hole, logins in sorted(holes.items())]
        self.assertEqual(report, [], "\n".join(report))
