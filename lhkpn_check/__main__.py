from lhkpn_check.cli import entry

entry()
