from lhkpn_check.cli import main

main()
