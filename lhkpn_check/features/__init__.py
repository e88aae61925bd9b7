"""Features of the declarations, split by job: declarations (order, net worth, income, which one each is
compared with), items (each item's previous version), funds (source and application of funds, per period
and over the history), officials (the latest declaration and the peer features) and peers (peer groups)."""

from lhkpn_check.features.declarations import declaration_income, declarations
from lhkpn_check.features.funds import funds
from lhkpn_check.features.items import item_changes, item_declaration
from lhkpn_check.features.officials import PEER_FEATURES, officials
from lhkpn_check.features.peers import peer_groups, peer_levels

__all__ = ["PEER_FEATURES", "declaration_income", "declarations", "funds", "item_changes", "item_declaration",
           "officials", "peer_groups", "peer_levels"]
