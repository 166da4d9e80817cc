def post_init_hook(env):
    """Without stock history, every company with a chart and every category goes perpetual,
    with the accounts it needs. Companies with history get the accounts, and switch through
    the go-live wizard, which posts their opening entry."""
    companies = env["res.company"].search([("chart_template", "!=", False)])
    companies._perpetual_setup_accounts()
    companies.filtered(lambda company: not company._has_done_stock_moves())._perpetual_activate()


def uninstall_hook(env):
    """The posted balances' triggers go first: they would write a table about to be dropped."""
    env["running.inventory.posted.balance"]._drop_balance_triggers()
