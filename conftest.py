"""Project-wide pytest fixtures (actors per role and region, regions, policy values)."""

from zhulao.core.testing.browser import browser, live_app, live_manage, move_clock, page, phone_page  # noqa: E402, F401
from zhulao.core.testing.fixtures import *  # noqa: F403
