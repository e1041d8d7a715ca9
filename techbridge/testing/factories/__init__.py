"""factory_boy factories and record-building helpers, one module per app
(``techbridge.testing.factories.<app>``): ``OrganizationFactory``, ``UserFactory``,
``AchievementFactory`` with ``make_achievement``, ``DemandFactory`` with ``make_demand``, contracts,
deals, auctions, valuation, mining, imports and matching.

Each factory has sensible defaults (documented on the class) so a test names only what it is about.
``make_<thing>(cast, ...)`` helpers give the usual record of the cast (an achievement of 示范大学 by its
researcher, a demand of 示范企业 by its buyer, ...). Factories write straight to the database and skip
the state machine, audit and notifications; a test about those goes through the services.

The names below are re-exported for older imports; new tests import from the app's module.
"""

from .achievements import AchievementFactory
from .core import publish
from .demands import DemandFactory

__all__ = ["AchievementFactory", "DemandFactory", "publish"]
