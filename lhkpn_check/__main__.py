from lhkpn_check.cli import entry

if __name__ == "__main__":
    entry()
