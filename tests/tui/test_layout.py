"""Every list screen gives its table the screen below the filter bar (a filter container
that grew to half the screen once pushed the tickets and petitions tables to the bottom)."""

from __future__ import annotations

import pytest
from tui_helpers import run, wait_for

from tui.app import JiedaoApp
from tui.widgets.filter_bar import FilterBar
from tui.widgets.paged_table import PagedTable

SIZE = (140, 40)


@pytest.mark.parametrize("key", ["f3", "f4", "f5"])
def test_the_table_starts_under_the_filter_bar_and_fills_the_screen(small_office, key):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(key)
            await wait_for(pilot, lambda: app.screen.query(FilterBar)
                           and app.screen.query(PagedTable), what="list and filters")
            await pilot.pause(0.2)
            bar = app.screen.query_one(FilterBar)
            table = app.screen.query_one(PagedTable)
            assert table.region.y <= bar.region.bottom + 1
            # Header (1) + filter bar + footer (1): the table has all the rest.
            assert table.region.height >= SIZE[1] - 2 - bar.region.height - 1

    run(scenario())
