"""lhkpn_check: batch checks of Indonesian wealth declarations (LHKPN / LHKASN)."""

__version__ = "0.1.0"
