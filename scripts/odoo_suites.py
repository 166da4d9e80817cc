"""pytest plugin for `make test-odoo`: Odoo's own test suites as a gate (see scripts/test_odoo.sh).

- Selects the tests Odoo itself runs by default (its `standard` tag: a class tagged `-standard`,
  e.g. a performance suite, is left out, as `odoo-bin --test-enable` does), less the point of
  sale's browser tours (see `_is_left_out`).
- Compares the outcome with the expected failures file (`--odoo-expected-failures`): one pytest
  node id per line, then `  # ` and the reason. The run fails on any other failure or error, on a
  listed test that passes, and on a listed test that did not run.
- Prints, and writes to `--odoo-suites-summary`, the counts per Odoo module.
"""

import collections
import pathlib

import pytest

REASON_SEPARATOR = "  # "


def pytest_addoption(parser):
    group = parser.getgroup("odoo suites")
    group.addoption(
        "--odoo-expected-failures",
        help="file of the tests expected to fail: `node id  # reason` per line",
    )
    group.addoption("--odoo-suites-summary", help="file to write the counts per module to")


def read_expected_failures(path):
    """{node id: reason} from the file; a line without a reason is an error."""
    expected = {}
    for number, line in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        node_id, _sep, reason = line.partition(REASON_SEPARATOR)
        if not reason.strip():
            raise pytest.UsageError(
                f"{path}:{number}: `{line}` needs a reason after `{REASON_SEPARATOR}`"
            )
        expected[node_id.strip()] = reason.strip()
    return expected


def pytest_configure(config):
    config.pluginmanager.register(OdooSuitesGate(config), "odoo_suites_gate")


class OdooSuitesGate:
    def __init__(self, config):
        self.config = config
        path = config.getoption("--odoo-expected-failures")
        self.expected = read_expected_failures(path) if path else {}
        # node id -> "passed", "failed" (the test itself), "error" (its set-up or tear-down),
        # or "skipped"
        self.outcomes = {}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        selected, deselected = [], []
        for item in items:
            (deselected if self._is_left_out(item) else selected).append(item)
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = selected

    @staticmethod
    def _is_left_out(item):
        """Tests Odoo itself does not run by default (not tagged `standard`), and the point of
        sale's browser tours: they drive the POS JavaScript front end, never its stock
        accounting, and take over an hour on two cores (about 17 s each, 236 of them); its
        back-end tests run."""
        cls = getattr(item, "cls", None)
        tags = getattr(cls, "test_tags", None)
        if tags is not None and "standard" not in tags:
            return True
        # Imported here: Odoo is importable once pytest-odoo has set it up.
        from odoo.tests import HttpCase

        return item.nodeid.startswith("point_of_sale/") and bool(cls) and issubclass(cls, HttpCase)

    def pytest_runtest_logreport(self, report):
        previous = self.outcomes.get(report.nodeid)
        if report.failed:
            outcome = "failed" if report.when == "call" else "error"
        elif report.skipped:
            outcome = "skipped"
        elif report.when == "call":
            outcome = "passed"
        else:
            return
        if previous in ("failed", "error"):
            return  # a failed test stays failed, whatever its tear-down does
        self.outcomes[report.nodeid] = outcome

    def _summary_lines(self):
        counts = collections.defaultdict(collections.Counter)
        for node_id, outcome in self.outcomes.items():
            counts[node_id.split("/", 1)[0]][outcome] += 1
        lines = [f"{'module':30} {'passed':>7} {'failed':>7} {'error':>7} {'skipped':>7}"]
        for module in sorted(counts) + ["total"]:
            if module == "total":
                count = sum(counts.values(), collections.Counter())
            else:
                count = counts[module]
            lines.append(
                f"{module:30} {count['passed']:7} {count['failed']:7} {count['error']:7} "
                f"{count['skipped']:7}"
            )
        return lines

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            return  # interrupted, usage or internal error, nothing collected: pytest's own status
        failing = {n for n, o in self.outcomes.items() if o in ("failed", "error")}
        self.unexpected = sorted(failing - set(self.expected))
        self.now_passing = sorted(n for n in self.expected if self.outcomes.get(n) == "passed")
        self.not_run = sorted(n for n in self.expected if self.outcomes.get(n) in (None, "skipped"))
        self.expected_failing = sorted(failing & set(self.expected))
        session.exitstatus = (
            pytest.ExitCode.TESTS_FAILED
            if self.unexpected or self.now_passing or self.not_run
            else pytest.ExitCode.OK
        )
        summary = self.config.getoption("--odoo-suites-summary")
        if summary:
            pathlib.Path(summary).write_text("\n".join(self._summary_lines()) + "\n")

    def pytest_terminal_summary(self, terminalreporter):
        if not hasattr(self, "unexpected"):
            return
        write = terminalreporter.write_line
        terminalreporter.section("Odoo's suites")
        for line in self._summary_lines():
            write(line)
        write(f"{len(self.expected_failing)} expected failures (tests/odoo_expected_failures.txt)")
        for title, node_ids in (
            ("failing and not in the expected failures", self.unexpected),
            ("in the expected failures but passing now: remove them", self.now_passing),
            ("in the expected failures but not run: remove or fix them", self.not_run),
        ):
            if node_ids:
                write(f"{len(node_ids)} {title}:", red=True, bold=True)
                for node_id in node_ids:
                    write(f"    {node_id}")
